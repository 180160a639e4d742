use crate::helpers::{each_backend, relaxed};

#[tokio::test]
async fn healthz_and_openapi() {
    each_backend(relaxed(), |app| async move {
        let r = app.get("/healthz", None).await;
        assert_eq!(
            (r.status, r.body["status"].as_str()),
            (200, Some("ok")),
            "{}",
            app.backend
        );
        let doc = app.get("/api/v1/openapi.json", None).await;
        assert_eq!(doc.status, 200);
        assert!(
            doc.body["openapi"].as_str().unwrap().starts_with("3.1"),
            "{}",
            doc.body["openapi"]
        );
        for path in [
            "/api/v1/auth/otp",
            "/api/v1/auth/otp/verify",
            "/api/v1/auth/login",
            "/api/v1/me",
            "/api/v1/units/search",
        ] {
            assert!(
                doc.body["paths"][path].is_object(),
                "{path} missing from OpenAPI"
            );
        }
        let missing = app.get("/api/v1/nothing-here", None).await;
        assert_eq!(missing.status, 404);
        assert_eq!(missing.headers["content-type"], "application/problem+json");
    })
    .await;
}

/// Every documented path is served: a method it does not have answers 405 (not the 404 of the
/// fallback), and `Allow` lists exactly the documented methods.
#[tokio::test]
async fn every_documented_path_is_served_with_its_documented_methods() {
    each_backend(relaxed(), |app| async move {
        let doc = app.get("/api/v1/openapi.json", None).await.body;
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.len() > 100, "{}", paths.len());
        let mut wrong = Vec::new();
        for (template, item) in paths {
            let mut documented: Vec<String> = item
                .as_object()
                .unwrap()
                .keys()
                .map(|m| m.to_uppercase())
                .collect();
            if documented.iter().any(|m| m == "GET") {
                documented.push("HEAD".into());
            }
            documented.sort();
            let path = template
                .split('/')
                .map(|s| if s.starts_with('{') { "1" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let r = app.request("TRACE", &path, None, None).await;
            let mut allowed: Vec<String> = r.headers.get("allow").map_or_else(Vec::new, |a| {
                a.to_str()
                    .unwrap()
                    .split(',')
                    .map(|m| m.trim().to_owned())
                    .collect()
            });
            allowed.sort();
            if r.status != 405 || allowed != documented {
                wrong.push(format!(
                    "{template}: {} allow {allowed:?}, documented {documented:?}",
                    r.status
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    })
    .await;
}

#[tokio::test]
async fn units_are_listed_looked_up_and_searched_without_accents() {
    each_backend(relaxed(), |app| async move {
        let provinces = app.get("/api/v1/units", None).await;
        assert_eq!(
            provinces.body.as_array().unwrap().len(),
            34,
            "{}",
            app.backend
        );
        let communes = app.get("/api/v1/units?parent=15", None).await;
        assert_eq!(communes.body.as_array().unwrap().len(), 99);
        let found = app.get("/api/v1/units/search?q=Bac%20Ha", None).await;
        assert_eq!(found.body[0]["name"], "Xã Bắc Hà");
        assert_eq!(found.body[0]["path"], "Xã Bắc Hà, Lào Cai");
        let one = app.get("/api/v1/units/02839", None).await;
        assert_eq!(
            (one.status, one.body["tier"].as_str()),
            (200, Some("commune"))
        );
        assert_eq!(app.get("/api/v1/units/99999", None).await.status, 404);
        let bad_parent = app.get("/api/v1/units?parent=99999", None).await;
        assert_eq!(bad_parent.field_code("parent"), Some("unit_unknown"));
        assert_eq!(
            app.get("/api/v1/units/search?q=a", None)
                .await
                .field_code("q"),
            Some("query_length")
        );
        assert_eq!(
            app.get("/api/v1/units/search?q=abc&bogus=1", None)
                .await
                .status,
            400
        );
    })
    .await;
}

#[tokio::test]
async fn readyz_answers_503_while_the_database_is_gone() {
    each_backend(relaxed(), |app| async move {
        let r = app.get("/readyz", None).await;
        assert_eq!(
            (r.status, r.body["status"].as_str()),
            (200, Some("ok")),
            "{}",
            app.backend
        );
        // The database goes away (its pool closes): the instance says it is not ready, as a
        // problem a load balancer and a person can both read.
        app.store.close().await;
        let r = app.get("/readyz", None).await;
        assert_eq!(r.status, 503, "{}", app.backend);
        assert_eq!(r.body["code"], "unavailable");
        assert!(r.body["message"]["vi"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    })
    .await;
}
