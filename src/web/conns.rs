//! The open connections, capped per client address and in all.
//!
//! A new connection over a cap does not wait and is not refused while an older one
//! is only waiting: the cap closes the connection of that address (or, at the total
//! cap, of any address) that has been idle longest, one that is not being answered
//! (an idle keep-alive connection, or one still sending a head or body). So a client
//! that holds hundreds of idle or trickling connections keeps at most
//! [`PER_ADDRESS`] of them, and a new request always gets in: it is the newest
//! connection, the last the cap would close. Only when every connection over the cap
//! is being answered is the new one closed at once.
//!
//! Why these caps: a browser opens at most six connections to a host, so
//! [`PER_ADDRESS`] leaves room for several tabs and tools on one machine (all of them
//! 127.0.0.1 on loopback) while keeping one address from filling the table;
//! [`TOTAL`] keeps well below the usual limit of 1,024 open files, which the index
//! needs some of.
//!
//! Known limits: an address is a whole IP address (an IPv6 client with many
//! addresses counts as many clients); closing an idle keep-alive connection is
//! harmless to browsers, which retry a request on a new one, but a client in the
//! middle of sending a head can lose it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use super::guard::Activity;

/// Connections one client address may hold.
pub const PER_ADDRESS: usize = 64;
/// Connections in all.
pub const TOTAL: usize = 512;

/// The table of open connections.
#[derive(Default)]
pub struct Conns {
    inner: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    next_id: u64,
    open: HashMap<u64, (IpAddr, Arc<Activity>)>,
    per_address: HashMap<IpAddr, usize>,
}

impl Conns {
    /// Takes a new connection from `address` into the table, closing the longest
    /// idle one over a cap; `None` when every connection over the cap is busy.
    pub fn admit(&self, address: IpAddr, caps: (usize, usize)) -> Option<(u64, Arc<Activity>)> {
        let (per_address, total) = caps;
        let mut table = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if table.per_address.get(&address).copied().unwrap_or(0) >= per_address
            && !table.close_longest_idle(Some(address))
        {
            return None;
        }
        if table.open.len() >= total && !table.close_longest_idle(None) {
            return None;
        }
        let id = table.next_id;
        table.next_id += 1;
        let activity = Arc::new(Activity::new());
        table.open.insert(id, (address, Arc::clone(&activity)));
        *table.per_address.entry(address).or_insert(0) += 1;
        Some((id, activity))
    }

    /// Forgets a connection that has closed (or was closed by [`Conns::admit`]).
    pub fn remove(&self, id: u64) {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    }

    /// How many connections are open.
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).open.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Table {
    fn remove(&mut self, id: u64) {
        if let Some((address, _)) = self.open.remove(&id) {
            if let Some(n) = self.per_address.get_mut(&address) {
                *n -= 1;
                if *n == 0 {
                    self.per_address.remove(&address);
                }
            }
        }
    }

    /// Closes the connection (of `address`, or any) idle longest and not being
    /// answered; false when there is none.
    fn close_longest_idle(&mut self, address: Option<IpAddr>) -> bool {
        let oldest = self
            .open
            .iter()
            .filter(|(_, (a, activity))| address.is_none_or(|x| x == *a) && !activity.is_busy())
            .min_by_key(|(id, (_, activity))| (activity.idle_since(), **id))
            .map(|(id, (_, activity))| (*id, Arc::clone(activity)));
        let Some((id, activity)) = oldest else { return false };
        activity.evict();
        self.remove(id);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn over_a_cap_the_longest_idle_connection_makes_room_and_busy_ones_stay() {
        let conns = Conns::default();
        let caps = (2, 3);
        let (first, a) = conns.admit(ip(1), caps).unwrap();
        let (_, b) = conns.admit(ip(1), caps).unwrap();
        let busy = b.begin();
        // Over the address's cap: the idle one goes, the busy one stays.
        let (_, c) = conns.admit(ip(1), caps).unwrap();
        assert_eq!(conns.len(), 2);
        conns.remove(first); // closed already: nothing more happens
        assert_eq!(conns.len(), 2);
        let _busy_too = c.begin();
        // Both of the address's connections busy: the new one is refused.
        assert!(conns.admit(ip(1), caps).is_none());
        // Another address has room, until the total cap, where only idle ones go.
        let (_, d) = conns.admit(ip(2), caps).unwrap();
        assert_eq!(conns.len(), 3);
        let (_, _e) = conns.admit(ip(3), caps).unwrap();
        assert_eq!(conns.len(), 3);
        drop(busy);
        let _ = (a, d);
    }

    #[test]
    fn evicted_connections_are_told() {
        let conns = Conns::default();
        let (_, a) = conns.admit(ip(1), (1, 10)).unwrap();
        let _ = conns.admit(ip(1), (1, 10)).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        rt.block_on(async {
            tokio::time::timeout(std::time::Duration::from_secs(5), a.evicted())
                .await
                .expect("the first connection was asked to close");
        });
    }
}
