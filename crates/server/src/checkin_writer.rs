//! Group commit for check-ins: concurrent requests hand their rows to one writer task, which
//! stores everything waiting in a single transaction and then answers each request. A request
//! is acknowledged only after its transaction committed, so a killed process loses nothing it
//! acknowledged, and thousands of check-ins a second cost tens of commits, not thousands.

use phongdich_store::{NewCheckin, Store, Visit};
use tokio::sync::{mpsc, oneshot};

/// Most requests folded into one transaction.
const MAX_REQUESTS_PER_COMMIT: usize = 512;

type Reply = oneshot::Sender<Result<Vec<Visit>, String>>;

/// The handle requests send their check-ins through.
#[derive(Debug)]
pub(crate) struct CheckinWriter {
    jobs: mpsc::Sender<(Vec<NewCheckin>, Reply)>,
}

impl CheckinWriter {
    /// Starts the writer task on the current runtime.
    pub(crate) fn start(store: Store) -> Self {
        let (jobs, queue) = mpsc::channel(8 * MAX_REQUESTS_PER_COMMIT);
        tokio::spawn(run(store, queue));
        Self { jobs }
    }

    /// Stores one request's check-ins; returns once they are committed.
    pub(crate) async fn write(&self, rows: Vec<NewCheckin>) -> anyhow::Result<Vec<Visit>> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send((rows, reply))
            .await
            .map_err(|_| anyhow::anyhow!("the check-in writer has stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the check-in writer dropped a request"))?
            .map_err(|e| anyhow::anyhow!("storing check-ins: {e}"))
    }
}

async fn run(store: Store, mut queue: mpsc::Receiver<(Vec<NewCheckin>, Reply)>) {
    let mut jobs = Vec::with_capacity(MAX_REQUESTS_PER_COMMIT);
    while queue.recv_many(&mut jobs, MAX_REQUESTS_PER_COMMIT).await > 0 {
        let all: Vec<NewCheckin> = jobs.iter().flat_map(|(rows, _)| rows.clone()).collect();
        match store.record_checkins(&all).await {
            Ok(visits) => {
                let mut visits = visits.into_iter();
                for (rows, reply) in jobs.drain(..) {
                    let mine: Vec<Visit> = visits.by_ref().take(rows.len()).collect();
                    let _ = reply.send(Ok(mine));
                }
            }
            Err(_) => {
                // One bad request must not fail the others: store each on its own.
                for (rows, reply) in jobs.drain(..) {
                    let result = store
                        .record_checkins(&rows)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = reply.send(result);
                }
            }
        }
    }
}
