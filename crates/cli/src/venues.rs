//! `phongdich venues posters`: one PDF with the A4 poster of every venue of a unit, for a
//! district that prints them all at once, with a progress bar while the pages render.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use phongdich_domain::units::ROOT_CODE;
use phongdich_domain::venues::Category;
use phongdich_poster::Poster;

use crate::args::VenuesCommand;
use crate::launch::{app_state, open_store};
use crate::settings::Settings;

pub(crate) async fn run(command: VenuesCommand) -> anyhow::Result<()> {
    let VenuesCommand::Posters {
        store,
        unit,
        base_url,
        out,
    } = command;
    let settings = Settings::load(&store)?;
    let store = open_store(&settings).await?;
    let state = app_state(&settings, store.clone()).await?;
    let unit = store
        .unit(unit.as_deref().unwrap_or(ROOT_CODE))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no unit with that code; see `phongdich admin units`"))?;
    let base = base_url
        .or_else(|| settings.server.public_url.clone())
        .unwrap_or_else(|| format!("http://{}", settings.addr));
    let base = base.trim_end_matches('/').to_owned();
    let venues = store.venues_under(&unit.path, None, 100_000).await?;
    anyhow::ensure!(!venues.is_empty(), "no venues in {}", unit.name);

    // Texts first (addresses need the unit names), then the pages on a blocking thread.
    let mut texts = Vec::with_capacity(venues.len());
    for v in &venues {
        let place = store.existing_unit(&v.unit_code).await?;
        let mut names = vec![place.name.clone()];
        names.extend(
            store
                .unit_ancestors(&place)
                .await?
                .iter()
                .rev()
                .map(|u| u.name.clone()),
        );
        let address = std::iter::once(v.street.clone())
            .filter(|s| !s.is_empty())
            .chain(std::iter::once(names.join(", ")))
            .collect::<Vec<_>>()
            .join(", ");
        let (vi, en) = Category::parse("category", &v.category)
            .unwrap_or(Category::Other)
            .label();
        texts.push((
            v.name.clone(),
            v.code.clone(),
            vi,
            en,
            address,
            state.venue_link(&base, &v.code),
        ));
    }
    let bar = ProgressBar::new(texts.len() as u64).with_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} trang/pages ({eta})")?
            .progress_chars("=> "),
    );
    bar.set_message("Đang vẽ áp phích / rendering posters");
    let pdf = {
        let bar = bar.clone();
        tokio::task::spawn_blocking(move || {
            let posters: Vec<Poster> = texts
                .iter()
                .map(|(name, code, vi, en, address, url)| Poster {
                    venue_name: name,
                    venue_code: code,
                    category_vi: vi,
                    category_en: en,
                    address,
                    url,
                })
                .collect();
            phongdich_poster::pdf(&posters, &mut |done| bar.set_position(done as u64))
        })
        .await??
    };
    bar.finish();
    let tmp = out.with_extension("pdf.tmp");
    std::fs::write(&tmp, &pdf).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &out).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "{} áp phích / posters of {} → {} ({} KiB)",
        venues.len(),
        unit.name,
        out.display(),
        pdf.len() / 1024
    );
    Ok(())
}
