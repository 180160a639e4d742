//! The phone fleet: a device SDK phone for every app user, and each day's contacts played
//! through their radios scan by scan.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use phongdich_device::Device;
use phongdich_sim::ble::SimRadio;
use phongdich_sim::{RadioContact, Simulation};
use rand::Rng;

use super::DAY;
use crate::device::ServerSetup;

/// A phone for every app user, configured from the server.
pub(super) fn make_phones(
    sim: &Simulation<'_>,
    population: usize,
    folder: &Path,
    setup: &ServerSetup,
) -> anyhow::Result<Vec<Option<Device>>> {
    (0..population as u32)
        .map(|person| {
            if !sim.is_app_user(person) {
                return Ok(None);
            }
            let mut device = Device::open(&folder.join(person.to_string()))?;
            device.set_config(setup.device_config.clone())?;
            Ok(Some(device))
        })
        .collect()
}

/// One sighting: at `at`, `hearer`'s phone reads `heard`'s advertisement at `db`.
type Sighting = (i64, u32, u32, u8);

/// Plays the day's phone pairs through the phones' radios, in time order. Each contact starts
/// at a random scan slot between 06:00 and 22:00 (earlier if it would run past midnight); a
/// phone scans once a slot and hears everyone near it in that scan.
pub(super) fn hear(
    phones: &mut [Option<Device>],
    radio: &[RadioContact],
    day_start: i64,
    rng: &mut impl Rng,
) -> anyhow::Result<()> {
    let mut sightings: Vec<Sighting> = Vec::new();
    // One radio model: every contact scans at the same interval.
    let scan_seconds = radio.first().map_or(300, |c| c.scan_seconds.max(1));
    for c in radio {
        let step = i64::from(scan_seconds);
        let slots = DAY / step;
        let length = c.a_heard_b.len() as i64;
        let latest = (slots - length).max(0);
        let slot = rng
            .gen_range(6 * 3_600 / step..22 * 3_600 / step)
            .min(latest);
        for (k, (ab, ba)) in c.a_heard_b.iter().zip(&c.b_heard_a).enumerate() {
            let at = day_start + (slot + k as i64) * step;
            sightings.push((at, c.a, c.b, *ab));
            sightings.push((at, c.b, c.a, *ba));
        }
    }
    sightings.sort_unstable();
    let mut start = 0;
    while start < sightings.len() {
        let at = sightings[start].0;
        let end = start + sightings[start..].partition_point(|s| s.0 == at);
        let slot = &sightings[start..end];
        let mut adverts: HashMap<u32, ([u8; 20], i8)> = HashMap::new();
        for &(_, _, heard, _) in slot {
            if let std::collections::hash_map::Entry::Vacant(e) = adverts.entry(heard) {
                let device = phone(phones, heard)?;
                e.insert((device.advertisement(at), device.config().tx_power_dbm));
            }
        }
        let mut k = 0;
        while k < slot.len() {
            let hearer = slot[k].1;
            let same = slot[k..].partition_point(|s| s.1 == hearer);
            let mut radio = SimRadio::default();
            for &(_, _, heard, db) in &slot[k..k + same] {
                let (payload, tx) = adverts[&heard];
                radio.tx_power_dbm = tx;
                radio.nearby.push((payload, db));
            }
            phone(phones, hearer)?.scan(&mut radio, at, scan_seconds)?;
            k += same;
        }
        start = end;
    }
    Ok(())
}

pub(super) fn phone(phones: &mut [Option<Device>], person: u32) -> anyhow::Result<&mut Device> {
    phones
        .get_mut(person as usize)
        .and_then(Option::as_mut)
        .with_context(|| format!("person {person} has no phone (a simulator bug)"))
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn contacts_are_heard_in_time_order_by_both_phones() {
        let dir = tempfile::tempdir().unwrap();
        let mut phones: Vec<Option<Device>> = (0..3)
            .map(|i| Some(Device::open(&dir.path().join(i.to_string())).unwrap()))
            .collect();
        let contact = |a, b, n| RadioContact {
            a,
            b,
            setting: phongdich_sim::Setting::Household,
            scan_seconds: 300,
            a_heard_b: vec![50; n],
            b_heard_a: vec![55; n],
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let day = 20_000 * DAY;
        // 0 meets 1 for 4 scans and 2 for the whole day (288 scans: it must start at midnight).
        hear(
            &mut phones,
            &[contact(0, 1, 4), contact(0, 2, 288)],
            day,
            &mut rng,
        )
        .unwrap();
        let encounters = |i: usize| phones[i].as_ref().unwrap().status().encounters;
        assert_eq!(encounters(0), 4 + 288);
        assert_eq!(encounters(1), 4);
        assert_eq!(encounters(2), 288);
        // A contact with a phone that is not an app user is a bug, and says so.
        phones[2] = None;
        assert!(hear(&mut phones, &[contact(0, 2, 1)], day + DAY, &mut rng).is_err());
    }
}
