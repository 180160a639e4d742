//! A benchmark's system under test: a fresh store (SQLite in a temporary folder, or a fresh
//! schema of the given PostgreSQL database) and, when asked, the real server on loopback.

use std::net::SocketAddr;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::profile::Profile;
use phongdich_domain::units::OfficialList;
use phongdich_server::auth::tokens::{new_token, token_hash};
use phongdich_server::clock::SystemClock;
use phongdich_server::secrets::Secrets;
use phongdich_server::signing_keys::SigningKeys;
use phongdich_server::sms::ConsoleSender;
use phongdich_server::{AppState, ServerConfig, StateParts};
use phongdich_store::{NewVenue, Store, Venue};

/// The store and what keeps it alive.
pub(crate) struct Rig {
    pub(crate) store: Store,
    pub(crate) backend: &'static str,
    pub(crate) dir: tempfile::TempDir,
    schema: Option<(String, String)>,
}

impl Rig {
    pub(crate) async fn new(database_url: Option<&str>) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let (store, backend, schema) = match database_url {
            Some(url) => {
                let schema = format!("bench_{:08x}", rand::random::<u32>());
                let store = Store::open_postgres_in_schema(url, &schema).await?;
                (store, "postgres", Some((url.to_owned(), schema)))
            }
            None => (
                Store::open_sqlite(&dir.path().join("bench.db")).await?,
                "sqlite",
                None,
            ),
        };
        store.ensure_units(OfficialList::Current2025).await?;
        Ok(Self {
            store,
            backend,
            dir,
            schema,
        })
    }

    /// A server state over the store with fresh keys.
    pub(crate) fn state(&self) -> AppState {
        AppState::new(StateParts {
            store: self.store.clone(),
            clock: Arc::new(SystemClock),
            sms: ConsoleSender::new(self.dir.path().join("sms-outbox.jsonl")),
            secrets: Secrets::ephemeral(),
            config: ServerConfig::default(),
            profile: Profile::covid19_2021(),
            pass_keys: SigningKeys::ephemeral(),
            venue_keys: SigningKeys::ephemeral(),
            export_signer: None,
            vault: None,
            data_dir: Some(self.dir.path().to_path_buf()),
        })
    }

    /// Serves `state` on a free loopback port.
    pub(crate) async fn serve(&self, state: AppState) -> anyhow::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(phongdich_server::serve(
            listener,
            state,
            std::future::pending(),
        ));
        Ok(addr)
    }

    /// `n` citizen accounts with phones 0900000000 + i; with sessions when `tokens`.
    pub(crate) async fn citizens(
        &self,
        n: usize,
        tokens: bool,
    ) -> anyhow::Result<Vec<(i64, String)>> {
        let now = Timestamp::now();
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let phone = PhoneNumber::parse("phone", &format!("09{:08}", i))
                .map_err(|e| anyhow::anyhow!("{}", e.message.en))?;
            let id = self
                .store
                .create_citizen(&phone, None, Some("02839"), now)
                .await?;
            let token = if tokens {
                let token = new_token();
                self.store
                    .create_citizen_session(
                        id,
                        &token_hash(&token),
                        now,
                        now + SignedDuration::from_hours(24),
                    )
                    .await?;
                token
            } else {
                String::new()
            };
            out.push((id, token));
        }
        Ok(out)
    }

    pub(crate) async fn venue(&self, category: &str) -> anyhow::Result<Venue> {
        Ok(self
            .store
            .create_venue(&NewVenue {
                code: phongdich_domain::venues::venue_code(rand::random()),
                name: "Chợ Bắc Hà".into(),
                category: category.into(),
                unit_code: "02839".into(),
                street: String::new(),
                position: None,
                owner_citizen_id: None,
                created_at: Timestamp::now(),
            })
            .await?)
    }

    /// Drops a PostgreSQL schema the run made.
    pub(crate) async fn finish(self) {
        self.store.close().await;
        if let Some((url, schema)) = self.schema {
            if let Err(e) = Store::drop_postgres_schema(&url, &schema).await {
                eprintln!("could not drop the benchmark schema {schema}: {e}");
            }
        }
    }
}
