use phongdich_domain::units::{OfficialList, Tier};
use phongdich_store::StoreError;

use crate::helpers::each_store;

#[tokio::test]
async fn the_official_list_is_imported_once() {
    each_store(|db| async move {
        let s = &db.store;
        let counts = s.unit_counts().await.unwrap();
        assert!(
            counts.contains(&("commune".into(), 3321)),
            "{}: {counts:?}",
            db.name
        );
        assert!(counts.contains(&("province".into(), 34)), "{}", db.name);
        assert_eq!(s.ensure_units(OfficialList::Current2025).await.unwrap(), 0);
        let err = s
            .ensure_units(OfficialList::Structure2020)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::UnitListMismatch { .. }),
            "{}",
            db.name
        );
    })
    .await;
}

#[tokio::test]
async fn search_ignores_diacritics_and_ranks_word_starts_first() {
    each_store(|db| async move {
        let s = &db.store;
        for q in ["Bac Ha", "bắc hà", "BAC HA"] {
            let found = s.search_units(q, 10).await.unwrap();
            assert_eq!(
                found.first().map(|u| u.name.as_str()),
                Some("Xã Bắc Hà"),
                "{}: {q}",
                db.name
            );
        }
        let provinces = s.search_units("lao cai", 5).await.unwrap();
        assert_eq!(provinces[0].tier, Tier::Province, "{}", db.name);
        assert!(s.search_units("%", 5).await.unwrap().is_empty());
        assert!(s.search_units("zzzz", 5).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn children_lookups_and_ancestors() {
    each_store(|db| async move {
        let s = &db.store;
        assert_eq!(s.unit_children("VN").await.unwrap().len(), 34);
        assert_eq!(
            s.unit_children("15").await.unwrap().len(),
            99,
            "{}",
            db.name
        );
        let bac_ha = s.unit("02839").await.unwrap().unwrap();
        assert_eq!(bac_ha.path, "VN/15/02839/");
        let up = s.unit_ancestors(&bac_ha).await.unwrap();
        assert_eq!(
            up.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(),
            ["15"]
        );
        assert!(s.unit("99999").await.unwrap().is_none());
        assert!(matches!(
            s.existing_unit("99999").await,
            Err(StoreError::UnknownUnit(_))
        ));
    })
    .await;
}
