//! The error answers of the OpenAPI document. Each refusal the API gives is one shared response
//! in `components.responses` (problem+json, the [`Problem`](crate::error::Problem) schema), and
//! each type here lists some of them, so an operation names the refusals it can give instead of
//! repeating them: `responses((status = 200, body = Thing), Session, JsonBody, NotFound)`.
//! Which refusal has which status is decided in `crate::error`; this is its description.

use std::collections::BTreeMap;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::IntoResponses;

/// A shared response: its name in `components.responses`, status and description.
struct Kind {
    name: &'static str,
    status: u16,
    description: &'static str,
    retry_after: bool,
}

const fn kind(name: &'static str, status: u16, description: &'static str) -> Kind {
    Kind {
        name,
        status,
        description,
        retry_after: false,
    }
}

const MALFORMED: Kind = kind(
    "Malformed",
    400,
    "`malformed_request`: a path or query parameter or the body does not parse (wrong type, \
     unknown field, broken JSON)",
);
const UNAUTHENTICATED: Kind = kind(
    "Unauthenticated",
    401,
    "`unauthenticated`: no bearer token, or its session has ended; `bad_credentials` on sign-in",
);
const FORBIDDEN: Kind = kind(
    "Forbidden",
    403,
    "`role_forbidden`, `tier_too_low`, `out_of_jurisdiction` (recorded in the audit log), \
     `citizens_only`, `staff_only`, `password_change_required` or the operation's own refusal",
);
const NOT_FOUND: Kind = kind("NotFound", 404, "`not_found`: no such record");
const CONFLICT: Kind = kind(
    "Conflict",
    409,
    "The request conflicts with the record's state; `code` says how",
);
const TOO_LARGE: Kind = kind(
    "TooLarge",
    413,
    "`body_too_large`: the body is larger than this operation accepts",
);
const NOT_JSON: Kind = kind(
    "UnsupportedMediaType",
    415,
    "`json_expected` or `unsupported_media_type`: the body is not of the media type documented",
);
const INVALID: Kind = kind(
    "Invalid",
    422,
    "`validation`: the input parsed but breaks a rule; `errors` lists each field's problem",
);
const TOO_MANY: Kind = Kind {
    retry_after: true,
    ..kind(
        "TooManyRequests",
        429,
        "`rate_limited` (or `too_many_streams`): try again after `Retry-After` seconds",
    )
};
const BUSY: Kind = Kind {
    retry_after: true,
    ..kind(
        "Busy",
        503,
        "`server_busy` (or `streams_full`): every slot for this work is taken; try again after \
         `Retry-After` seconds",
    )
};

const UNAVAILABLE: Kind = Kind {
    retry_after: true,
    ..kind(
        "Unavailable",
        503,
        "`unavailable`: the database does not answer; this instance takes no traffic until it \
         does (try again after `Retry-After` seconds)",
    )
};

const ALL: [&Kind; 11] = [
    &MALFORMED,
    &UNAUTHENTICATED,
    &FORBIDDEN,
    &NOT_FOUND,
    &CONFLICT,
    &TOO_LARGE,
    &NOT_JSON,
    &INVALID,
    &TOO_MANY,
    &BUSY,
    &UNAVAILABLE,
];

impl Kind {
    fn response(&self) -> Response {
        let mut response = ResponseBuilder::new()
            .description(self.description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            );
        if self.retry_after {
            response = response.header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::Integer)
                            .minimum(Some(1)),
                    )
                    .description(Some("Seconds to wait before trying again"))
                    .build(),
            );
        }
        response.build()
    }
}

/// Every shared error response, for `components.responses`.
pub(crate) fn components() -> BTreeMap<String, RefOr<Response>> {
    ALL.iter()
        .map(|k| (k.name.to_owned(), RefOr::T(k.response())))
        .collect()
}

fn refs(kinds: &[&Kind]) -> BTreeMap<String, RefOr<Response>> {
    kinds
        .iter()
        .map(|k| {
            (
                k.status.to_string(),
                RefOr::Ref(Ref::new(format!("#/components/responses/{}", k.name))),
            )
        })
        .collect()
}

macro_rules! answers {
    ($($(#[$doc:meta])* $name:ident = [$($kind:ident),+];)*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                refs(&[$(&$kind),+])
            }
        }
    )*};
}

answers! {
    /// 400: a path or query parameter that does not parse.
    Malformed = [MALFORMED];
    /// 401 and 403: a signed-in caller of the right kind, role, tier and jurisdiction.
    Session = [UNAUTHENTICATED, FORBIDDEN];
    /// 401: any session (even one that must change its password first).
    Unauthenticated = [UNAUTHENTICATED];
    /// 403: a refusal of the operation itself (for callers who need not sign in).
    Forbidden = [FORBIDDEN];
    /// 404: the record named in the path does not exist.
    NotFound = [NOT_FOUND];
    /// 409: the record's state does not allow it.
    Conflict = [CONFLICT];
    /// 400, 413, 415 and 422: a JSON body that does not parse, is too large, is not JSON, or breaks
    /// a rule.
    JsonBody = [MALFORMED, TOO_LARGE, NOT_JSON, INVALID];
    /// 413 and 415: an uploaded file that is too large or of another type than documented.
    Upload = [TOO_LARGE, NOT_JSON];
    /// 422: input that parsed but breaks a rule (a bound of a query parameter, a field).
    Unprocessable = [INVALID];
    /// 429: a rate limit.
    TooMany = [TOO_MANY];
    /// 503: every slot for expensive work is taken.
    Busy = [BUSY];
    /// 503: the database does not answer.
    Unavailable = [UNAVAILABLE];
}
