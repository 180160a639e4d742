//! `phongdich bench …`: the benchmarks of SPEC §9. Each prints its figure beside the reference
//! it is judged against, measured in the same run, and with `--json` ends with the one-line
//! object of SPEC §10.

mod checkin;
mod export;
mod fanout;
mod matching;
mod report;
mod rig;
mod sim;
mod trace;

use crate::args::BenchCommand;

pub(crate) async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Checkin(flags) => checkin::run(flags).await,
        BenchCommand::VenueFanout(flags) => fanout::run(flags).await,
        BenchCommand::Match(flags) => matching::run(flags),
        BenchCommand::Export(flags) => export::run(flags).await,
        BenchCommand::Trace(flags) => trace::run(flags).await,
        BenchCommand::Sim(flags) => sim::run(flags),
    }
}
