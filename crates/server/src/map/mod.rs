//! The public epidemic map: its layers as GeoJSON, the area levels behind two of them, and the
//! change events the map page listens to (server-sent events).
//!
//! Layers are computed from the store on request, never cached as state, so they are always as
//! fresh as the data; their ETag is the hash of the body, so a page polling an unchanged layer
//! gets a 304. Writes that change a layer call [`AppState::map_changed`], which wakes every
//! open map page through [`MapEvents`].

pub(crate) mod area_levels;
pub(crate) mod layers;
mod places;
pub(crate) mod streams;

use phongdich_domain::Message;
use tokio::sync::{broadcast, watch};

use crate::state::AppState;

/// Layers that follow cases (levels and counts).
pub(crate) const CASE_LAYERS: &[Layer] = &[Layer::AreaLevels, Layer::Cases];
/// Layers that follow zones (and the points that place communes).
pub(crate) const ZONE_LAYERS: &[Layer] = &[
    Layer::LockdownZones,
    Layer::QuarantineAreas,
    Layer::Checkpoints,
    Layer::AreaLevels,
    Layer::Cases,
];

/// The map's layers (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layer {
    FacilitySafety,
    MedicalFacilities,
    QuarantineAreas,
    Checkpoints,
    LockdownZones,
    RiskyVenues,
    AreaLevels,
    Cases,
}

impl Layer {
    pub(crate) const ALL: [Layer; 8] = [
        Layer::AreaLevels,
        Layer::Cases,
        Layer::LockdownZones,
        Layer::QuarantineAreas,
        Layer::Checkpoints,
        Layer::FacilitySafety,
        Layer::MedicalFacilities,
        Layer::RiskyVenues,
    ];

    pub(crate) fn id(self) -> &'static str {
        match self {
            Layer::FacilitySafety => "facility-safety",
            Layer::MedicalFacilities => "medical-facilities",
            Layer::QuarantineAreas => "quarantine-areas",
            Layer::Checkpoints => "checkpoints",
            Layer::LockdownZones => "lockdown-zones",
            Layer::RiskyVenues => "risky-venues",
            Layer::AreaLevels => "area-levels",
            Layer::Cases => "cases",
        }
    }

    pub(crate) fn parse(id: &str) -> Option<Layer> {
        Self::ALL.into_iter().find(|l| l.id() == id)
    }

    pub(crate) fn name(self) -> Message {
        match self {
            Layer::FacilitySafety => Message::new(
                "An toàn COVID của cơ sở",
                "Facility safety (schools, workplaces, transport)",
            ),
            Layer::MedicalFacilities => Message::new("Cơ sở y tế", "Medical facilities"),
            Layer::QuarantineAreas => Message::new("Khu cách ly", "Quarantine areas"),
            Layer::Checkpoints => Message::new("Chốt kiểm soát", "Checkpoints"),
            Layer::LockdownZones => Message::new("Vùng phong tỏa", "Lockdown zones"),
            Layer::RiskyVenues => Message::new("Địa điểm có nguy cơ", "Risky venues"),
            Layer::AreaLevels => Message::new("Cấp độ dịch theo xã", "Epidemic level by commune"),
            Layer::Cases => Message::new("Ca bệnh theo xã (14 ngày)", "Cases by commune (14 days)"),
        }
    }

    /// The colours the layer uses and what they mean.
    pub(crate) fn legend(self) -> Vec<(&'static str, Message)> {
        use phongdich_domain::safety::{AreaLevel, SafetyColour};
        match self {
            Layer::FacilitySafety | Layer::MedicalFacilities => [
                SafetyColour::Green,
                SafetyColour::Yellow,
                SafetyColour::Red,
                SafetyColour::Grey,
            ]
            .into_iter()
            .map(|c| (c.as_str(), c.label()))
            .collect(),
            Layer::AreaLevels => AreaLevel::ALL
                .iter()
                .map(|l| (l.colour(), l.label()))
                .collect(),
            Layer::QuarantineAreas => {
                vec![("purple", Message::new("Khu cách ly", "Quarantine area"))]
            }
            Layer::Checkpoints => vec![("blue", Message::new("Chốt kiểm soát", "Checkpoint"))],
            Layer::LockdownZones => vec![("red", Message::new("Đang phong tỏa", "Locked down"))],
            Layer::RiskyVenues => vec![
                (
                    "red",
                    Message::new("Nguy cơ cao: có thể là F1", "High risk: possibly F1"),
                ),
                (
                    "orange",
                    Message::new(
                        "Nguy cơ thấp: theo dõi sức khỏe",
                        "Low risk: watch your health",
                    ),
                ),
            ],
            Layer::Cases => vec![
                ("yellow", Message::new("1–4 ca", "1–4 cases")),
                ("orange", Message::new("5–19 ca", "5–19 cases")),
                ("red", Message::new("20 ca trở lên", "20 cases or more")),
            ],
        }
    }
}

/// Wakes open map pages when a layer changes. A page that falls behind loses old events, not
/// the news: it refetches every layer (see `routes::map::events`). On shutdown every stream is
/// ended, so open pages do not hold the server's graceful stop forever.
#[derive(Debug)]
pub(crate) struct MapEvents {
    changes: broadcast::Sender<Layer>,
    closing: watch::Sender<bool>,
}

impl Default for MapEvents {
    fn default() -> Self {
        Self {
            changes: broadcast::channel(256).0,
            closing: watch::channel(false).0,
        }
    }
}

impl MapEvents {
    /// The changes to come, and the signal that the server is stopping.
    pub(crate) fn subscribe(&self) -> (broadcast::Receiver<Layer>, watch::Receiver<bool>) {
        (self.changes.subscribe(), self.closing.subscribe())
    }

    /// Ends every open event stream (the server is stopping).
    pub(crate) fn close(&self) {
        self.closing.send_replace(true);
    }
}

impl AppState {
    /// Tells open map pages that these layers changed (nobody listening is fine).
    pub(crate) fn map_changed(&self, layers: &[Layer]) {
        for layer in layers {
            let _ = self.inner.map_events.changes.send(*layer);
        }
    }
}
