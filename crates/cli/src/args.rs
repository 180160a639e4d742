//! Command-line flags (the stable contract of SPEC §1 and §10).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "phongdich",
    version,
    about = "Phòng Dịch — nền tảng phòng chống dịch / epidemic-prevention platform"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Serve the API and the web app.
    Serve(StoreFlags),
    /// Seed a demo province (Lào Cai) on first run, then serve it; prints the URL and logins.
    Demo(StoreFlags),
    /// Apply database migrations and load the administrative units, then exit.
    Migrate(StoreFlags),
    /// Administration: staff accounts, units.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Venues: printable posters.
    #[command(subcommand)]
    Venues(VenuesCommand),
    /// Exposure Notification tools.
    #[command(subcommand)]
    Exposure(ExposureCommand),
    /// Benchmarks of SPEC §9; each prints its figure with the reference measured in the same run.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum VenuesCommand {
    /// Write the A4 posters of many venues into one PDF (one page each), with a progress bar.
    Posters {
        #[command(flatten)]
        store: StoreFlags,
        /// Only venues in this unit and below (default: all).
        #[arg(long)]
        unit: Option<String>,
        /// The address citizens reach the server at, printed in the QR codes
        /// (default: the configured public_url, else http://ADDR).
        #[arg(long)]
        base_url: Option<String>,
        /// The PDF to write.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ExposureCommand {
    /// Print the key schedule of a Temporary Exposure Key as JSON: RPIK, AEMK and the 144
    /// Rolling Proximity Identifiers from --interval on.
    Derive {
        /// The TEK, 32 hexadecimal digits.
        #[arg(long)]
        tek: String,
        /// The first ENIntervalNumber (10-minute intervals since the Unix epoch).
        #[arg(long)]
        interval: u32,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// P2: check-ins over HTTP on loopback against the same server's /healthz rate.
    Checkin(CheckinBench),
    /// P3: alert every visitor of a venue with 20,000 visits.
    VenueFanout(FanoutBench),
    /// P1: derive and match diagnosis keys against 10,000 observed identifiers on one core.
    Match(MatchBench),
}

#[derive(Debug, Args)]
pub(crate) struct MatchBench {
    /// Diagnosis keys to derive and match.
    #[arg(long, default_value_t = 50_000)]
    pub(crate) keys: usize,
    /// Identifiers the phone observed (at least 100).
    #[arg(long, default_value_t = 10_000)]
    pub(crate) observed: usize,
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckinBench {
    /// PostgreSQL URL; a fresh schema is made and dropped (default: SQLite in a temporary folder).
    #[arg(long)]
    pub(crate) database_url: Option<String>,
    /// Concurrent clients (each with its own account).
    #[arg(long, default_value_t = 64)]
    pub(crate) clients: usize,
    /// Seconds per phase (check-ins, /healthz, half rate).
    #[arg(long, default_value_t = 5.0)]
    pub(crate) seconds: f64,
    /// End with the SPEC §10 JSON line.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct FanoutBench {
    #[arg(long)]
    pub(crate) database_url: Option<String>,
    /// Visits at the venue, all overlapping the window (one visitor each).
    #[arg(long, default_value_t = 20_000)]
    pub(crate) visits: usize,
    /// Windows marked (each alerts every visitor again).
    #[arg(long, default_value_t = 7)]
    pub(crate) runs: usize,
    #[arg(long)]
    pub(crate) json: bool,
}

/// Where to listen and where the data lives. Each flag overrides the config file and the
/// `PHONGDICH_*` environment variables.
#[derive(Debug, Clone, Args)]
pub(crate) struct StoreFlags {
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
    #[arg(long)]
    pub(crate) addr: Option<String>,
    /// Data folder: SQLite database, keys, SMS outbox, demo.json.
    #[arg(long)]
    pub(crate) data: Option<PathBuf>,
    /// PostgreSQL URL (postgres://…) instead of the embedded SQLite store.
    #[arg(long)]
    pub(crate) database_url: Option<String>,
    /// SMS sender: console (writes DIR/sms-outbox.jsonl) or http (gateway from the config).
    #[arg(long)]
    pub(crate) sms: Option<String>,
    /// Config file (TOML); default DIR/phongdich.toml when it exists.
    #[arg(long)]
    pub(crate) config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Create a staff account (prints a generated password when none is given).
    CreateStaff {
        #[command(flatten)]
        store: StoreFlags,
        #[arg(long)]
        username: String,
        /// health_official, venue_staff, facility_staff, unit_reporter or admin.
        #[arg(long)]
        role: String,
        /// Code of the unit the account is scoped to (VN for the whole country).
        #[arg(long)]
        unit: String,
        #[arg(long)]
        full_name: String,
        /// At least 10 characters; read from PHONGDICH_NEW_PASSWORD if unset, else generated.
        #[arg(long, env = "PHONGDICH_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Retire the health-pass signing key and start a new one. Passes signed with the old key
    /// keep verifying until they expire. Restart running servers (or use the API) to pick it up.
    RotateKeys {
        #[command(flatten)]
        store: StoreFlags,
    },
    /// List units: the children of --parent (provinces by default) or the matches of --search.
    Units {
        #[command(flatten)]
        store: StoreFlags,
        #[arg(long, conflicts_with = "search")]
        parent: Option<String>,
        /// Name to search for; accents optional ("Bac Ha").
        #[arg(long)]
        search: Option<String>,
    },
}
