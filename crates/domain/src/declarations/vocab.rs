//! The closed answer lists of the forms, with their wire names and bilingual labels.

/// Defines an enum of answers with its wire names and a parser giving a field error.
macro_rules! answers {
    ($(#[$doc:meta])* $name:ident $(as $schema:literal)? { $($variant:ident = $wire:literal / $vi:literal / $en:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Vietnamese and English labels.
            pub fn label(self) -> (&'static str, &'static str) {
                match self { $($name::$variant => ($vi, $en)),+ }
            }

            pub fn parse(field: &str, input: &str) -> Result<Self, $crate::FieldError> {
                Self::ALL.iter().copied().find(|v| v.as_str() == input.trim()).ok_or_else(|| {
                    let names = Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ");
                    $crate::FieldError::new(
                        field,
                        "choice_unknown",
                        format!("Giá trị {:?} không hợp lệ; chọn một trong: {names}", input),
                        format!("{:?} is not a valid choice; choose one of: {names}", input),
                    )
                })
            }
        }

        /// Published in the API document as a string enum, so clients and fuzzers know the
        /// choices; the server still parses the string itself to answer with a field error.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::schema::string_enum(Self::ALL.iter().map(|v| v.as_str()))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                // The document's name: the one given with `as`, else the type's own.
                let names: &[&'static str] = &[$($schema,)? stringify!($name)];
                std::borrow::Cow::Borrowed(names[0])
            }
        }
    };
}
pub(crate) use answers;

answers!(
    /// The kind of a declaration.
    Kind as "DeclarationKind" {
        Domestic = "domestic" / "Khai báo y tế toàn dân" / "Domestic declaration",
        DomesticTravel = "domestic_travel" / "Khai báo di chuyển nội địa" / "Domestic travel declaration",
        Entry = "entry" / "Khai báo y tế nhập cảnh" / "Entry declaration",
        DailyUpdate = "daily_update" / "Cập nhật sức khỏe hằng ngày" / "Daily health update",
    }
);

answers!(
    Gender {
        Male = "male" / "Nam" / "Male",
        Female = "female" / "Nữ" / "Female",
        Other = "other" / "Khác" / "Other",
    }
);

answers!(
    /// Symptoms asked about on every form.
    Symptom {
        Fever = "fever" / "Sốt" / "Fever",
        Cough = "cough" / "Ho" / "Cough",
        ShortnessOfBreath = "shortness_of_breath" / "Khó thở" / "Shortness of breath",
        Pneumonia = "pneumonia" / "Viêm phổi" / "Pneumonia",
        SoreThroat = "sore_throat" / "Đau họng" / "Sore throat",
        Fatigue = "fatigue" / "Mệt mỏi" / "Fatigue",
    }
);

answers!(
    /// Exposure questions.
    Exposure {
        ContactWithCase = "contact_with_case" / "Tiếp xúc người bệnh hoặc nghi ngờ mắc COVID-19" / "Contact with a sick or suspected case",
        ContactWithTraveller = "contact_with_traveller" / "Tiếp xúc người từ nước/vùng có dịch" / "Contact with someone from a country or area with the disease",
        ContactWithSymptomatic = "contact_with_symptomatic" / "Tiếp xúc người có biểu hiện sốt, ho, khó thở" / "Contact with someone with symptoms",
    }
);

answers!(
    /// Underlying conditions.
    Condition {
        ChronicLiver = "chronic_liver" / "Bệnh gan mãn tính" / "Chronic liver disease",
        ChronicBlood = "chronic_blood" / "Bệnh máu mãn tính" / "Chronic blood disease",
        ChronicLung = "chronic_lung" / "Bệnh phổi mãn tính" / "Chronic lung disease",
        ChronicKidney = "chronic_kidney" / "Bệnh thận mãn tính" / "Chronic kidney disease",
        Heart = "heart" / "Bệnh tim mạch" / "Heart disease",
        HighBloodPressure = "high_blood_pressure" / "Huyết áp cao" / "High blood pressure",
        Immunodeficiency = "immunodeficiency" / "Suy giảm miễn dịch / HIV" / "HIV / immunodeficiency",
        OrganTransplant = "organ_transplant" / "Ghép tạng, ghép tủy" / "Organ transplant",
        Diabetes = "diabetes" / "Tiểu đường" / "Diabetes",
        Cancer = "cancer" / "Ung thư" / "Cancer",
        Pregnancy = "pregnancy" / "Đang mang thai" / "Pregnancy",
    }
);

answers!(
    /// How a person travels.
    Conveyance {
        Air = "air" / "Máy bay" / "Air",
        Rail = "rail" / "Tàu hỏa" / "Rail",
        Road = "road" / "Ô tô / đường bộ" / "Road",
        Water = "water" / "Tàu thủy / đường thủy" / "Water",
        Sea = "sea" / "Tàu biển" / "Sea",
        Other = "other" / "Khác" / "Other",
    }
);

answers!(
    Vaccination {
        None = "none" / "Chưa tiêm" / "Not vaccinated",
        Partial = "partial" / "Tiêm chưa đủ liều" / "Partly vaccinated",
        Full = "full" / "Tiêm đủ liều" / "Fully vaccinated",
    }
);

answers!(
    TestResult as "DeclaredTestResult" {
        NotTested = "not_tested" / "Chưa xét nghiệm" / "Not tested",
        Negative = "negative" / "Âm tính" / "Negative",
        Positive = "positive" / "Dương tính" / "Positive",
    }
);
