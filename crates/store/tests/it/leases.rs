use jiff::SignedDuration;

use crate::helpers::{at, each_store};

#[tokio::test]
async fn one_instance_holds_a_job_and_another_takes_over_when_it_runs_out() {
    each_store(|db| async move {
        let s = &db.store;
        let period = SignedDuration::from_secs(60);
        assert!(s.take_lease("exports", "a", at(0), period).await.unwrap());
        assert!(
            !s.take_lease("exports", "b", at(30), period).await.unwrap(),
            "{}: a holds it",
            db.name
        );
        // The holder renews; the lease then runs from the renewal.
        assert!(s.take_lease("exports", "a", at(50), period).await.unwrap());
        assert!(!s.take_lease("exports", "b", at(100), period).await.unwrap());
        // Another job is leased on its own.
        assert!(s
            .take_lease("housekeeping", "b", at(100), period)
            .await
            .unwrap());
        // a stops renewing (it died): at the end of its lease, b takes the job over, and a,
        // back, does not get it while b's lease runs.
        assert!(s.take_lease("exports", "b", at(110), period).await.unwrap());
        assert!(!s.take_lease("exports", "a", at(120), period).await.unwrap());
        let leases = s.leases().await.unwrap();
        let holders: Vec<_> = leases
            .iter()
            .map(|l| (l.job.as_str(), l.holder.as_str(), l.expires_at))
            .collect();
        assert_eq!(
            holders,
            [("exports", "b", at(170)), ("housekeeping", "b", at(160))],
            "{}",
            db.name
        );
        // A clean shutdown gives the lease up at once; only the holder can.
        s.release_lease("exports", "a").await.unwrap();
        assert!(!s.take_lease("exports", "a", at(130), period).await.unwrap());
        s.release_lease("exports", "b").await.unwrap();
        assert!(s.take_lease("exports", "a", at(131), period).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn of_many_instances_asking_at_once_exactly_one_gets_the_lease() {
    each_store(|db| async move {
        let period = SignedDuration::from_secs(60);
        let mut asks = tokio::task::JoinSet::new();
        for i in 0..8 {
            let s = db.store.clone();
            asks.spawn(async move {
                s.take_lease("retention", &format!("i{i}"), at(0), period)
                    .await
            });
        }
        let mut winners = 0;
        while let Some(taken) = asks.join_next().await {
            winners += usize::from(taken.unwrap().unwrap());
        }
        assert_eq!(winners, 1, "{}", db.name);
    })
    .await;
}
