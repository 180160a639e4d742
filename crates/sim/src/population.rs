//! The people of a province, as columns (struct of arrays): one `Vec` per attribute indexed by
//! person, so a day over a million agents walks contiguous memory.
//!
//! People live in households (size from the census shape, the first member an adult), and
//! households fill the province's communes from the shipped unit list, commune after commune,
//! so the people of a commune (and of a household) are a contiguous range of ids. Pupils aged
//! 3–17 sit in classes of their commune by age; workers (18–59, by the employment rate) are
//! spread over workplaces anywhere in the province; some ride a commune's bus route. Each
//! commune has venues of the domain's categories (markets, supermarkets, restaurants, health
//! facilities, other). Smartphones by age; the adoption draw is kept so that the app users at
//! 40 % adoption include those at 20 %, which makes a sweep's comparison sharper.

use phongdich_domain::text::fold;
use phongdich_domain::units::{OfficialList, Tier};
use phongdich_domain::venues::Category;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Normal, Poisson};
use serde::Serialize;

use crate::params::{Params, AGE_BANDS};
use crate::rng::{stream, Tag};
use crate::SimError;

/// "No group" / "no route".
pub const NONE: u32 = u32::MAX;

/// The venue categories people visit on an ordinary day, in the order of
/// `Contacts::venue_visit_prob` and `Contacts::venues_per_1000`.
pub const VISITED: [Category; 5] = [
    Category::Market,
    Category::Supermarket,
    Category::Restaurant,
    Category::HealthFacility,
    Category::Other,
];

/// A province from the shipped unit list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Province {
    /// The unit code, e.g. `"15"`.
    pub code: String,
    /// The official name.
    pub name: String,
    /// Its communes (wards, townships), codes and names.
    pub communes: Vec<(String, String)>,
}

impl Province {
    /// Finds a province of the 2025 list by code (`"15"`) or by name, accents and case
    /// ignored (`"lao cai"`, `"Lào Cai"`); a name must match one province only.
    pub fn find(query: &str) -> Result<Province, SimError> {
        let units = OfficialList::Current2025.units();
        let q = fold(query.trim());
        if q.is_empty() {
            return Err(SimError::Province(
                "a province code or name is needed".into(),
            ));
        }
        let provinces: Vec<_> = units.iter().filter(|u| u.tier == Tier::Province).collect();
        let by_code = provinces.iter().find(|u| u.code == query.trim());
        let found = match by_code {
            Some(u) => *u,
            None => {
                let matches: Vec<_> = provinces
                    .iter()
                    .filter(|u| {
                        let name = fold(&u.name);
                        name == q || name.ends_with(&format!(" {q}"))
                    })
                    .collect();
                match matches.as_slice() {
                    [one] => **one,
                    [] => {
                        return Err(SimError::Province(format!(
                            "no province {query:?} in the unit list {}",
                            OfficialList::Current2025.id()
                        )))
                    }
                    _ => {
                        return Err(SimError::Province(format!(
                            "{query:?} names several provinces; give the code"
                        )))
                    }
                }
            }
        };
        let communes: Vec<_> = units
            .iter()
            .filter(|u| u.tier == Tier::Commune && u.path.starts_with(&found.path))
            .map(|u| (u.code.clone(), u.name.clone()))
            .collect();
        Province::new(&found.code, &found.name, communes)
    }

    /// A province from parts; refuses one without communes.
    pub fn new(
        code: &str,
        name: &str,
        communes: Vec<(String, String)>,
    ) -> Result<Province, SimError> {
        if communes.is_empty() {
            return Err(SimError::Province(format!(
                "province {code} ({name}) has no communes"
            )));
        }
        if communes.len() > usize::from(u16::MAX) {
            return Err(SimError::Province("more than 65,535 communes".into()));
        }
        Ok(Province {
            code: code.to_owned(),
            name: name.to_owned(),
            communes,
        })
    }
}

/// One venue with a QR poster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Venue {
    pub category: Category,
    pub commune: u16,
}

/// The people, their places and their phones.
#[derive(Clone, Debug)]
pub struct Population {
    pub(crate) province: Province,
    pub(crate) age: Vec<u8>,
    pub(crate) band: Vec<u8>,
    /// People of household h: `household_start[h]..household_start[h + 1]`.
    pub(crate) household_start: Vec<u32>,
    /// People of commune c: `commune_start[c]..commune_start[c + 1]`.
    pub(crate) commune_start: Vec<u32>,
    pub(crate) commune_of: Vec<u16>,
    pub(crate) group_start: Vec<u32>,
    pub(crate) group_members: Vec<u32>,
    pub(crate) group_is_school: Vec<bool>,
    pub(crate) smartphone: Vec<bool>,
    pub(crate) adoption_draw: Vec<f32>,
    /// Residual calibration error of the phone, dB.
    pub(crate) device_offset_db: Vec<f32>,
    /// Random contacts a day (drawn once: some people always meet many).
    pub(crate) random_contacts: Vec<u8>,
    /// The bus route venue ridden each day (NONE: none).
    pub(crate) bus_route: Vec<u32>,
    pub(crate) venues: Vec<Venue>,
    /// Venues of commune c and visited category k: `venue_start[c * 5 + k]..venue_start[c * 5 + k + 1]`.
    pub(crate) venue_start: Vec<u32>,
}

impl Population {
    /// Builds `params.population` people in `province`, from `params.seed`.
    pub fn build(params: &Params, province: &Province) -> Result<Population, SimError> {
        params.validate()?;
        let n = params.population;
        let d = &params.demography;
        let mut rng = stream(params.seed, Tag::Population, 0, 0);
        let bad = |e: &dyn std::fmt::Display| SimError::Invalid(vec![e.to_string()]);

        // Commune sizes vary (lognormal weights, sdlog 0.5: an assumption); every commune
        // gets at least its share rounded down.
        let communes = province.communes.len();
        let weights: Vec<f64> = {
            let ln = LogNormal::new(0.0, 0.5).map_err(|e| bad(&e))?;
            (0..communes).map(|_| ln.sample(&mut rng)).collect()
        };
        let total: f64 = weights.iter().sum();
        let mut quota: Vec<usize> = weights
            .iter()
            .map(|w| (w / total * n as f64).floor() as usize)
            .collect();
        let assigned: usize = quota.iter().sum();
        quota[0] += n - assigned;

        let adult_shares: Vec<f64> = d.age_shares[2..].to_vec();
        let pick = |rng: &mut rand_chacha::ChaCha8Rng, shares: &[f64]| -> usize {
            let total: f64 = shares.iter().sum();
            let mut x = rng.gen::<f64>() * total;
            for (i, s) in shares.iter().enumerate() {
                if x < *s {
                    return i;
                }
                x -= s;
            }
            shares.len() - 1
        };

        let mut age = Vec::with_capacity(n);
        let mut band = Vec::with_capacity(n);
        let mut household_start = vec![0u32];
        let mut commune_start = vec![0u32];
        let mut commune_of = Vec::with_capacity(n);
        for (c, &q) in quota.iter().enumerate() {
            let mut left = q;
            while left > 0 {
                let size = (pick(&mut rng, &d.household_size_shares) + 1).min(left);
                for member in 0..size {
                    let b = if member == 0 {
                        2 + pick(&mut rng, &adult_shares)
                    } else {
                        pick(&mut rng, &d.age_shares)
                    };
                    let span = if b == AGE_BANDS - 1 { 16 } else { 10 };
                    age.push((b * 10) as u8 + rng.gen_range(0..span));
                    band.push(b as u8);
                    commune_of.push(c as u16);
                }
                left -= size;
                household_start.push(age.len() as u32);
            }
            commune_start.push(age.len() as u32);
        }

        // Classes: pupils of each commune by age, cut into classes.
        let mut group_of = vec![NONE; n];
        let mut group_start = vec![0u32];
        let mut group_members = Vec::new();
        let mut group_is_school = Vec::new();
        for c in 0..communes {
            let range = commune_start[c] as usize..commune_start[c + 1] as usize;
            let mut pupils: Vec<u32> = range
                .filter(|&i| (3..=17).contains(&age[i]))
                .map(|i| i as u32)
                .collect();
            pupils.sort_by_key(|&i| (age[i as usize], i));
            for class in pupils.chunks(d.class_size) {
                for &p in class {
                    group_of[p as usize] = group_start.len() as u32 - 1;
                }
                group_members.extend_from_slice(class);
                group_start.push(group_members.len() as u32);
                group_is_school.push(true);
            }
        }
        // Workplaces: workers anywhere in the province, geometric sizes.
        let mut workers: Vec<u32> = (0..n)
            .filter(|&i| (18..=59).contains(&age[i]) && rng.gen_bool(d.employment_rate))
            .map(|i| i as u32)
            .collect();
        workers.shuffle(&mut rng);
        let size_exp =
            Exp::new(1.0 / (d.mean_workplace_size - 1.0).max(1e-9)).map_err(|e| bad(&e))?;
        let mut rest = workers.as_slice();
        while !rest.is_empty() {
            let size = (1 + size_exp.sample(&mut rng).floor() as usize).min(rest.len());
            let (team, tail) = rest.split_at(size);
            for &p in team {
                group_of[p as usize] = group_start.len() as u32 - 1;
            }
            group_members.extend_from_slice(team);
            group_start.push(group_members.len() as u32);
            group_is_school.push(false);
            rest = tail;
        }

        // Venues per commune and category, at least one market and one clinic per commune.
        let c = &params.contacts;
        let mut venues = Vec::new();
        let mut venue_start = vec![0u32];
        for commune in 0..communes {
            let people = (commune_start[commune + 1] - commune_start[commune]) as f64;
            for (k, category) in VISITED.iter().enumerate() {
                let mut count = (people / 1000.0 * c.venues_per_1000[k]).round() as usize;
                if matches!(category, Category::Market | Category::HealthFacility) {
                    count = count.max(1);
                }
                venues.extend((0..count).map(|_| Venue {
                    category: *category,
                    commune: commune as u16,
                }));
                venue_start.push(venues.len() as u32);
            }
        }
        // Bus routes: about 60 riders a route, within the rider's commune.
        let mut bus_route = vec![NONE; n];
        for commune in 0..communes {
            let range = commune_start[commune] as usize..commune_start[commune + 1] as usize;
            let riders: Vec<usize> = range
                .filter(|&i| group_of[i] != NONE && rng.gen_bool(d.bus_share))
                .collect();
            let routes = riders.len().div_ceil(60);
            let first = venues.len() as u32;
            venues.extend((0..routes).map(|_| Venue {
                category: Category::Vehicle,
                commune: commune as u16,
            }));
            for i in riders {
                bus_route[i] = first + rng.gen_range(0..routes as u32);
            }
        }

        let smartphone = band
            .iter()
            .map(|&b| rng.gen_bool(d.smartphone_by_age[b as usize]))
            .collect();
        let adoption_draw = (0..n).map(|_| rng.gen::<f32>()).collect();
        let dev = Normal::new(0.0, params.ble.device_sd_db).map_err(|e| bad(&e))?;
        let device_offset_db = (0..n).map(|_| dev.sample(&mut rng) as f32).collect();
        let random_contacts = band
            .iter()
            .map(|&b| {
                let mean = match b {
                    0 | 1 => c.random_per_day[0],
                    2..=6 => c.random_per_day[1],
                    _ => c.random_per_day[2],
                };
                negative_binomial(&mut rng, mean).min(200) as u8
            })
            .collect();

        Ok(Population {
            province: province.clone(),
            age,
            band,
            household_start,
            commune_start,
            commune_of,
            group_start,
            group_members,
            group_is_school,
            smartphone,
            adoption_draw,
            device_offset_db,
            random_contacts,
            bus_route,
            venues,
            venue_start,
        })
    }

    /// People.
    pub fn len(&self) -> usize {
        self.age.len()
    }

    /// Whether there is nobody (never, once built).
    pub fn is_empty(&self) -> bool {
        self.age.is_empty()
    }

    /// The province.
    pub fn province(&self) -> &Province {
        &self.province
    }

    /// Households.
    pub fn households(&self) -> usize {
        self.household_start.len() - 1
    }

    /// Venues, bus routes included.
    pub fn venues(&self) -> usize {
        self.venues.len()
    }

    /// Who uses the app at `adoption` (share of smartphone owners).
    pub fn app_users(&self, adoption: f64) -> Vec<bool> {
        self.smartphone
            .iter()
            .zip(&self.adoption_draw)
            .map(|(&phone, &u)| phone && f64::from(u) < adoption)
            .collect()
    }

    /// The people of `person`'s household.
    pub(crate) fn household_members(&self, household: usize) -> std::ops::Range<usize> {
        self.household_start[household] as usize..self.household_start[household + 1] as usize
    }

    /// The members of group `g`.
    pub(crate) fn group(&self, g: usize) -> &[u32] {
        &self.group_members[self.group_start[g] as usize..self.group_start[g + 1] as usize]
    }

    /// Venues of `commune` in visited category `k`.
    pub(crate) fn venues_of(&self, commune: u16, k: usize) -> std::ops::Range<u32> {
        let i = usize::from(commune) * VISITED.len() + k;
        self.venue_start[i]..self.venue_start[i + 1]
    }
}

/// A negative binomial count with the given mean and sd equal to the mean (OpenABM's random
/// network), as a gamma–Poisson mixture; a mean of 1 or less is plain Poisson.
fn negative_binomial(rng: &mut impl Rng, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    let lambda = if mean > 1.0 {
        let shape = mean / (mean - 1.0);
        match Gamma::new(shape, mean / shape) {
            Ok(g) => g.sample(rng),
            Err(_) => mean,
        }
    } else {
        mean
    };
    match Poisson::new(lambda.max(1e-9)) {
        Ok(p) => p.sample(rng) as u32,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn small_province() -> Province {
        Province::new(
            "99",
            "Test",
            (0..4)
                .map(|i| (format!("{i:05}"), format!("Xã {i}")))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn finds_provinces_by_code_and_name() {
        let lao_cai = Province::find("lào cai").unwrap();
        assert_eq!(Province::find(&lao_cai.code).unwrap(), lao_cai);
        assert!(lao_cai.communes.len() > 50, "{}", lao_cai.communes.len());
        assert!(Province::find("Atlantis").is_err());
        assert!(Province::find("  ").is_err());
        assert!(Province::new("1", "x", vec![]).is_err());
    }

    #[test]
    fn households_ages_and_groups_look_like_the_parameters() {
        let p = Params::new(20_000, 1, 3);
        let pop = Population::build(&p, &small_province()).unwrap();
        assert_eq!(pop.len(), 20_000);
        let mean_household = pop.len() as f64 / pop.households() as f64;
        assert!((mean_household - 3.5).abs() < 0.2, "{mean_household}");
        // Every household starts with an adult.
        for h in 0..pop.households() {
            assert!(pop.age[pop.household_members(h).start] >= 20);
        }
        let children = pop.band.iter().filter(|&&b| b == 0).count() as f64 / 20_000.0;
        assert!((0.10..0.18).contains(&children), "{children}");
        // Groups list their members consistently.
        let members: usize = (0..pop.group_is_school.len())
            .map(|g| pop.group(g).len())
            .sum();
        let mut seen: Vec<u32> = pop.group_members.clone();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), members, "nobody is in two groups");
        let users_20 = pop.app_users(0.2);
        let users_40 = pop.app_users(0.4);
        assert!(users_20.iter().zip(&users_40).all(|(a, b)| !a || *b));
        let share = users_40.iter().filter(|&&u| u).count() as f64 / 20_000.0;
        assert!((0.25..0.38).contains(&share), "{share}");
        let mean_random: f64 = pop
            .random_contacts
            .iter()
            .map(|&r| f64::from(r))
            .sum::<f64>()
            / 20_000.0;
        assert!((2.8..3.9).contains(&mean_random), "{mean_random}");
    }

    #[test]
    fn same_seed_same_people() {
        let p = Params::new(3_000, 1, 9);
        let a = Population::build(&p, &small_province()).unwrap();
        let b = Population::build(&p, &small_province()).unwrap();
        assert_eq!(a.age, b.age);
        assert_eq!(a.group_members, b.group_members);
        assert_eq!(a.bus_route, b.bus_route);
    }
}
