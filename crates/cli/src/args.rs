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
    /// A scripted phone (its state in a folder) against a server: for demos and tests.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Benchmarks of SPEC §9; each prints its figure with the reference measured in the same run.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The outbreak simulator: one run, or a sweep over app adoption levels.
    #[command(subcommand)]
    Sim(SimCommand),
    /// Print the OpenAPI 3.1 document that `/api/v1/openapi.json` serves (the web app's
    /// generated types are made from it: scripts/gen-api-types.sh).
    Openapi,
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
pub(crate) enum DeviceCommand {
    /// Make a new phone in --dir for --server; with --phone and --sms-outbox it also signs in
    /// its citizen (reading the SMS code the console sender wrote) and sets --unit as home.
    Register {
        #[command(flatten)]
        device: PhoneDir,
        /// The server's base URL, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        server: String,
        /// The citizen's phone number (needed to report as F1).
        #[arg(long)]
        phone: Option<String>,
        /// The server's console SMS outbox, where sign-in and case codes are read from.
        #[arg(long)]
        sms_outbox: Option<PathBuf>,
        /// Home commune code (the officials of this unit are told of an F1 report).
        #[arg(long)]
        unit: Option<String>,
        /// The phone's clock, RFC 3339 (default: now).
        #[arg(long)]
        at: Option<String>,
    },
    /// Move the phone's clock forward.
    Advance {
        #[command(flatten)]
        device: PhoneDir,
        #[arg(long, default_value_t = 0)]
        minutes: i64,
        #[arg(long, default_value_t = 0)]
        hours: i64,
        #[arg(long, default_value_t = 0)]
        days: i64,
    },
    /// Put this phone near another for --minutes at --attenuation dB: both log each other's
    /// identifiers once a minute, and both clocks move to the end of the meeting.
    Meet {
        #[command(flatten)]
        device: PhoneDir,
        /// The other phone's folder.
        #[arg(long = "with")]
        other: PathBuf,
        #[arg(long)]
        minutes: u32,
        /// Bluetooth attenuation in dB (55 ≈ 1.5 m; 80 ≈ another room).
        #[arg(long)]
        attenuation: u8,
    },
    /// Consent to share keys and upload them: with --code (or the newest case code to this
    /// phone in --sms-outbox), or with the token a `report-f1 --share-keys` received.
    Upload {
        #[command(flatten)]
        device: PhoneDir,
        #[arg(long)]
        code: Option<String>,
        #[arg(long)]
        sms_outbox: Option<PathBuf>,
        /// Symptom onset, YYYY-MM-DD.
        #[arg(long)]
        onset: Option<String>,
    },
    /// Download the new export files, check their signatures and match them.
    Sync {
        #[command(flatten)]
        device: PhoneDir,
    },
    /// Print the exposure status (with --json as one JSON object).
    Status {
        #[command(flatten)]
        device: PhoneDir,
        #[arg(long)]
        json: bool,
    },
    /// Tell the officials of the home unit "I may be F1" for the current alert; with
    /// --share-keys also get a token to upload this phone's keys (its contacts become F2).
    ReportF1 {
        #[command(flatten)]
        device: PhoneDir,
        #[arg(long)]
        share_keys: bool,
    },
}

/// The folder that holds a scripted phone.
#[derive(Debug, Clone, Args)]
pub(crate) struct PhoneDir {
    /// The phone's folder (device.json: the SDK's state; phone.json: server, clock, tokens).
    #[arg(long)]
    pub(crate) dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// P2: check-ins over HTTP on loopback against the same server's /healthz rate.
    Checkin(CheckinBench),
    /// P3: alert every visitor of a venue with 20,000 visits.
    VenueFanout(FanoutBench),
    /// P1: derive and match diagnosis keys against 10,000 observed identifiers on one core.
    Match(MatchBench),
    /// P5: sign and write an export batch of 100,000 keys.
    Export(ExportBench),
    /// P4: F1 + F2 expansion of a case among 1,000,000 people and 20,000,000 contacts.
    Trace(TraceBench),
    /// P6: one simulated day of 1,000,000 agents.
    Sim(SimBench),
}

#[derive(Debug, Args)]
pub(crate) struct TraceBench {
    /// PostgreSQL URL; a fresh schema is made and dropped (default: SQLite in a temporary folder).
    #[arg(long)]
    pub(crate) database_url: Option<String>,
    #[arg(long, default_value_t = 1_000_000)]
    pub(crate) people: usize,
    #[arg(long, default_value_t = 20_000_000)]
    pub(crate) contacts: usize,
    /// Cases expanded (the figure is their p99).
    #[arg(long, default_value_t = 300)]
    pub(crate) cases: usize,
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExportBench {
    /// Keys in the batch.
    #[arg(long, default_value_t = 100_000)]
    pub(crate) keys: usize,
    /// Batches built (the figure is the slowest).
    #[arg(long, default_value_t = 5)]
    pub(crate) runs: usize,
    #[arg(long)]
    pub(crate) json: bool,
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
    /// Create a staff account. Without --password a temporary one is generated, printed once,
    /// and must be changed at first sign-in.
    CreateStaff {
        #[command(flatten)]
        store: StoreFlags,
        #[arg(long)]
        username: String,
        /// health_official, venue_staff, facility_staff, unit_reporter, checkpoint_staff or admin.
        #[arg(long)]
        role: String,
        /// Code of the unit the account is scoped to (VN for the whole country).
        #[arg(long)]
        unit: String,
        #[arg(long)]
        full_name: String,
        /// At least 12 characters; read from PHONGDICH_NEW_PASSWORD if unset, else generated.
        #[arg(long, env = "PHONGDICH_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Deactivate a staff account: its sessions end at once and it can no longer sign in.
    Deactivate {
        #[command(flatten)]
        store: StoreFlags,
        #[arg(long)]
        username: String,
    },
    /// Let a deactivated staff account sign in again.
    Reactivate {
        #[command(flatten)]
        store: StoreFlags,
        #[arg(long)]
        username: String,
    },
    /// Set a temporary password (generated and printed once unless given); every session of the
    /// account ends and the holder must choose a new password at next sign-in.
    ResetPassword {
        #[command(flatten)]
        store: StoreFlags,
        #[arg(long)]
        username: String,
        /// The temporary password; read from PHONGDICH_NEW_PASSWORD if unset, else generated.
        #[arg(long, env = "PHONGDICH_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// End every session of a staff account (a lost phone, a shared computer).
    RevokeSessions {
        #[command(flatten)]
        store: StoreFlags,
        #[arg(long)]
        username: String,
    },
    /// Retire the health-pass signing key and start a new one. Passes signed with the old key
    /// keep verifying until they expire. Restart running servers (or use the API) to pick it up.
    RotateKeys {
        #[command(flatten)]
        store: StoreFlags,
    },
    /// Print a new random key-encryption key (Base64) for `key_encryption_key`: give every
    /// instance over one database the same one, and keep it out of the database's backups.
    NewKek,
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

#[derive(Debug, Subcommand)]
pub(crate) enum SimCommand {
    /// One run: a province (households, schools, venues, phones, tracing) or the well-mixed check.
    Run(SimRun),
    /// Runs the no-app baseline and each adoption level; prints, writes CSV and charts.
    Sweep(SimSweep),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SimMode {
    /// The agent-based province.
    Province,
    /// Homogeneous mixing, for the SIR final-size check.
    WellMixed,
    /// A small province whose app users are real device-SDK phones driving a running
    /// `phongdich serve` or `demo` through its HTTP API (codes, uploads, exports, matching).
    Http,
}

#[derive(Debug, Args)]
pub(crate) struct SimRun {
    #[arg(long, value_enum, default_value = "province")]
    pub(crate) mode: SimMode,
    /// Basic reproduction number (default: 2.5 well-mixed, 5.08 province).
    #[arg(long)]
    pub(crate) r0: Option<f64>,
    /// People (default: 50,000; 1,000 in http mode, at most 2,000 there).
    #[arg(long)]
    pub(crate) population: Option<usize>,
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Province code or name from the unit list (province and http modes).
    #[arg(long, default_value = "Lào Cai")]
    pub(crate) province: String,
    /// Simulated days (default: 120; 14 in http mode, at most the key retention there).
    #[arg(long)]
    pub(crate) days: Option<u32>,
    /// Share of smartphone owners using the app (default 0.4).
    #[arg(long)]
    pub(crate) adoption: Option<f64>,
    /// People infected at the start (default: 20 province, population/1000 well-mixed).
    #[arg(long)]
    pub(crate) initial: Option<usize>,
    #[command(flatten)]
    pub(crate) tracers: TracerFlags,
    /// Folder for curves.csv, curves.svg, curves.png and summary.json.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Print the result as one JSON object.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) http: SimHttpFlags,
}

/// The tracers' limits, overriding the literature defaults.
#[derive(Debug, Args)]
pub(crate) struct TracerFlags {
    /// Case interviews the tracers can hold a day per 100,000 people (default 180).
    #[arg(long)]
    pub(crate) interview_capacity: Option<f64>,
    /// Exponent of the fading of interview recall with days since the contact (default 0.075).
    #[arg(long)]
    pub(crate) interview_recall_decay: Option<f64>,
}

/// Where the http mode's server is and who issues the upload codes.
#[derive(Debug, Args)]
pub(crate) struct SimHttpFlags {
    /// The running server's URL (http mode); defaults to the `url` of --demo-json.
    #[arg(long)]
    pub(crate) server: Option<String>,
    /// A health official's (or admin's) username, who issues the upload codes.
    #[arg(long, requires = "password")]
    pub(crate) username: Option<String>,
    #[arg(long, requires = "username")]
    pub(crate) password: Option<String>,
    /// `DIR/demo.json` of a `phongdich demo` server: its URL and a health official's login.
    #[arg(long, conflicts_with = "username")]
    pub(crate) demo_json: Option<PathBuf>,
    /// HTTP requests in flight at once (phones downloading key files).
    #[arg(long, default_value_t = 16)]
    pub(crate) concurrency: usize,
}

#[derive(Debug, Args)]
pub(crate) struct SimSweep {
    /// Province code or name from the unit list.
    #[arg(long, default_value = "Lào Cai")]
    pub(crate) province: String,
    /// Adoption levels among smartphone owners, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "0,0.2,0.4,0.6,0.8")]
    pub(crate) adoption: Vec<f64>,
    #[arg(long, default_value_t = 20_000)]
    pub(crate) population: usize,
    #[arg(long, default_value_t = 120)]
    pub(crate) days: u32,
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Seeds averaged per level.
    #[arg(long, default_value_t = 1)]
    pub(crate) replicates: u32,
    #[arg(long)]
    pub(crate) r0: Option<f64>,
    #[command(flatten)]
    pub(crate) tracers: TracerFlags,
    /// Folder for sweep.csv, sweep.svg/png and curves.svg/png.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Print the table as JSON instead.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SimBench {
    #[arg(long, default_value_t = 1_000_000)]
    pub(crate) agents: usize,
    /// Days timed (the figure is the slowest).
    #[arg(long, default_value_t = 5)]
    pub(crate) days: u32,
    /// Also time Covasim (pip install covasim) on a matching population, if it is installed.
    #[arg(long)]
    pub(crate) covasim: bool,
    #[arg(long)]
    pub(crate) json: bool,
}
