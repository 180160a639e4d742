//! `phongdich admin …`: staff accounts and unit lists from the shell.

use anyhow::Context;
use phongdich_server::auth::passwords::hash;
use phongdich_server::auth::staff_accounts::{create_staff, create_staff_forced_change, StaffForm};
use phongdich_server::ApiError;

use phongdich_store::StaffChange;

use crate::args::{AdminCommand, StoreFlags};
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
            // A generated password was shown on a screen: its holder must replace it.
            let now = jiff::Timestamp::now();
            let id = if generated {
                create_staff_forced_change(&store, form, now).await
            } else {
                create_staff(&store, form, now).await
            }
            .map_err(explain)?;
            println!("Đã tạo tài khoản / created staff account #{id}: {username}");
            if generated {
                println!("Mật khẩu tạm / temporary password: {password}");
                println!("Phải đổi khi đăng nhập lần đầu / must be changed at first sign-in");
            }
            Ok(())
        }
        AdminCommand::Deactivate { store, username } => {
            let n = lifecycle(&store, &username, StaffChange::Deactivate).await?;
            println!("Đã khoá / deactivated {username}; {n} phiên bị thu hồi / sessions revoked");
            Ok(())
        }
        AdminCommand::Reactivate { store, username } => {
            lifecycle(&store, &username, StaffChange::Reactivate).await?;
            println!("Đã mở lại / reactivated {username}");
            Ok(())
        }
        AdminCommand::RevokeSessions { store, username } => {
            let n = lifecycle(&store, &username, StaffChange::RevokeSessions).await?;
            println!("{n} phiên bị thu hồi / sessions revoked for {username}");
            Ok(())
        }
        AdminCommand::ResetPassword {
            store,
            username,
            password,
        } => {
            let generated = password.is_none();
            let password = password.unwrap_or_else(crate::demo::new_password);
            phongdich_domain::passwords::check("password", &password, &username).map_err(|e| {
                anyhow::anyhow!(
                    "invalid input:\n  {}: {} / {}",
                    e.field,
                    e.message.vi,
                    e.message.en
                )
            })?;
            let typed = password.clone();
            let password_hash = tokio::task::spawn_blocking(move || hash(&typed)).await??;
            let n = lifecycle(
                &store,
                &username,
                StaffChange::ResetPassword { password_hash },
            )
            .await?;
            println!("Đã đặt lại mật khẩu / password reset for {username}; {n} phiên bị thu hồi / sessions revoked");
            if generated {
                println!("Mật khẩu tạm / temporary password: {password}");
            }
            println!("Phải đổi khi đăng nhập / must be changed at next sign-in");
            Ok(())
        }
        AdminCommand::RotateKeys { store } => {
            let settings = Settings::load(&store)?;
            let profile = crate::launch::load_profile(&settings)?;
            let store = open_store(&settings).await?;
            let (vault, _) = crate::launch::shared_keys(&settings, &store, &profile).await?;
            let keys = phongdich_server::shared_keys::rotate_pass_keys(
                &store,
                &vault,
                jiff::Timestamp::now(),
                profile.health_pass.longest_secs(),
            )
            .await?;
            println!(
                "Khóa ký mới / new signing key: {}",
                keys.signer().kid().to_base64url()
            );
            println!(
                "Khóa đang được tin cậy / keys trusted: {}",
                keys.ring().keys().len()
            );
            println!("Các máy chủ đang chạy dùng khóa mới trong vòng một phút / running servers use it within a minute");
            Ok(())
        }
        AdminCommand::NewKek => {
            println!("{}", phongdich_server::shared_keys::new_kek());
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

/// Applies a lifecycle change to the account `username`, audited as the shell operator.
async fn lifecycle(flags: &StoreFlags, username: &str, change: StaffChange) -> anyhow::Result<u64> {
    let settings = Settings::load(flags)?;
    let store = open_store(&settings).await?;
    let member = store
        .staff_member_by_username(username)
        .await?
        .with_context(|| format!("no staff account is called {username}"))?;
    Ok(store
        .change_staff(None, &member, &change, jiff::Timestamp::now())
        .await?)
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
