//! Caps on the map's open event streams: a stream never ends by itself, so without a cap one
//! client could hold thousands of connections (1,500 from one address were all accepted). Each
//! stream holds a [`StreamSlot`] that it drops when it ends, however it ends (the client left,
//! the server stops), and the slot is free again.
//!
//! Clients are counted by address; IPv6 addresses by their /64, since one household or phone
//! gets a whole /64 and can pick any address inside it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use phongdich_domain::Message;

use crate::error::ApiError;

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    by_client: HashMap<IpAddr, usize>,
}

/// The open streams of one server.
#[derive(Debug)]
pub(crate) struct StreamSlots {
    per_client: usize,
    total: usize,
    counts: Arc<Mutex<Counts>>,
}

/// One open stream's place; dropping it frees the place.
#[derive(Debug)]
pub(crate) struct StreamSlot {
    client: IpAddr,
    counts: Arc<Mutex<Counts>>,
}

/// The key a client is counted under: the address itself, or an IPv6 address's /64.
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl StreamSlots {
    pub(crate) fn new(per_client: usize, total: usize) -> Self {
        Self {
            per_client: per_client.max(1),
            total: total.max(1),
            counts: Arc::default(),
        }
    }

    /// A place for a new stream from `ip`: 429 `too_many_streams` past the per-client cap,
    /// 503 `streams_full` past the overall one.
    pub(crate) fn open(&self, ip: IpAddr) -> Result<StreamSlot, ApiError> {
        let client = client_key(ip);
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let mine = counts.by_client.get(&client).copied().unwrap_or(0);
        if mine >= self.per_client {
            return Err(ApiError::Refused {
                status: StatusCode::TOO_MANY_REQUESTS,
                code: "too_many_streams",
                message: Message::new(
                    format!(
                        "Đã mở tối đa {} luồng cập nhật bản đồ từ địa chỉ này; hãy đóng bớt trang bản đồ",
                        self.per_client
                    ),
                    format!(
                        "At most {} map update streams may be open from one address; close some map pages",
                        self.per_client
                    ),
                ),
                retry_after_secs: Some(30),
            });
        }
        if counts.total >= self.total {
            return Err(ApiError::Refused {
                status: StatusCode::SERVICE_UNAVAILABLE,
                code: "streams_full",
                message: Message::new(
                    "Máy chủ đang phục vụ quá nhiều trang bản đồ; bản đồ vẫn dùng được, chỉ không tự cập nhật",
                    "The server serves too many map pages; the map still works but will not update by itself",
                ),
                retry_after_secs: Some(60),
            });
        }
        counts.total += 1;
        *counts.by_client.entry(client).or_insert(0) += 1;
        Ok(StreamSlot {
            client,
            counts: self.counts.clone(),
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.total = counts.total.saturating_sub(1);
        if let Some(n) = counts.by_client.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                counts.by_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let slots = StreamSlots::new(1, 10);
        let held = slots.open(a).unwrap();
        assert!(slots.open(b).is_err());
        assert!(slots.open(other).is_ok());
        drop(held);
        assert!(slots.open(b).is_ok());
    }
}
