//! `phongdich admin …`: staff accounts and unit lists from the shell.

use anyhow::Context;
use phongdich_server::auth::staff_accounts::{create_staff, StaffForm};
use phongdich_server::signing_keys::SigningKeys;
use phongdich_server::ApiError;

use crate::args::AdminCommand;
use crate::launch::open_store;
use crate::settings::Settings;

pub(crate) async fn run(command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateStaff {
            store,
            username,
            role,
            unit,
            full_name,
            password,
        } => {
            let settings = Settings::load(&store)?;
            let store = open_store(&settings).await?;
            let generated = password.is_none();
            let password = password.unwrap_or_else(crate::demo::new_password);
            let form = StaffForm {
                username: username.clone(),
                password: password.clone(),
                full_name,
                role,
                unit_code: unit,
            };
            let id = create_staff(&store, form, jiff::Timestamp::now())
                .await
                .map_err(explain)?;
            println!("Đã tạo tài khoản / created staff account #{id}: {username}");
            if generated {
                println!("Mật khẩu / password: {password}");
            }
            Ok(())
        }
        AdminCommand::RotateKeys { store } => {
            let settings = Settings::load(&store)?;
            let profile = crate::launch::load_profile(&settings)?;
            let now = jiff::Timestamp::now().as_second();
            let keys =
                SigningKeys::rotate(&settings.data, now, profile.health_pass.longest_secs())?;
            println!(
                "Khóa ký mới / new signing key: {}",
                keys.signer().kid().to_base64url()
            );
            println!(
                "Khóa đang được tin cậy / keys trusted: {}",
                keys.ring().keys().len()
            );
            Ok(())
        }
        AdminCommand::Units {
            store,
            parent,
            search,
        } => {
            let settings = Settings::load(&store)?;
            let store = open_store(&settings).await?;
            let units = match (&search, &parent) {
                (Some(q), _) => store.search_units(q, 50).await?,
                (None, Some(p)) => {
                    store
                        .existing_unit(p)
                        .await
                        .with_context(|| format!("no unit has code {p}"))?;
                    store.unit_children(p).await?
                }
                (None, None) => {
                    store
                        .unit_children(phongdich_domain::units::ROOT_CODE)
                        .await?
                }
            };
            for u in &units {
                println!(
                    "{:<6} {:<9} {:<22} {}",
                    u.code,
                    u.tier.as_str(),
                    u.kind,
                    u.name
                );
            }
            println!("({} đơn vị / units)", units.len());
            Ok(())
        }
    }
}

/// Turns an API error into a message for the shell, listing each field problem.
fn explain(e: ApiError) -> anyhow::Error {
    match e {
        ApiError::Invalid(invalid) => {
            let lines: Vec<String> = invalid
                .0
                .iter()
                .map(|f| format!("  {}: {} / {}", f.field, f.message.vi, f.message.en))
                .collect();
            anyhow::anyhow!("invalid input:\n{}", lines.join("\n"))
        }
        other => anyhow::anyhow!("{other}"),
    }
}
