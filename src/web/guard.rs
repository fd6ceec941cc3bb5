//! A connection's bytes on their way to hyper, held to deadlines and to the head
//! checks of [`http::scan`](super::http::scan).
//!
//! [`Guarded`] is the socket hyper reads and writes. It gathers each request head
//! itself and hands it to hyper only once it is whole and acceptable, then passes
//! exactly the body its Content-Length declares, then gathers the next head. So hyper
//! never sees an over-long target, a doubled Host or Content-Length, a chunked body or
//! garbage: such a head is kept as the connection's refusal ([`Activity`]), hyper is
//! told the client has finished, and the connection's task writes the JSON refusal
//! once hyper has stopped (`mod.rs`). And a slow client costs a parked task and a
//! socket, never a thread, for at most:
//!
//! - [`IDLE_TIMEOUT`] between requests (from the connection's start or the last
//!   answer) before the first byte of a head;
//! - [`HEAD_TIMEOUT`] from a head's first byte to its end, however it trickles;
//! - [`BODY_TIMEOUT`] from a head's end to its body's;
//! - [`WRITE_TIMEOUT`] of a response write making no progress (a client that stops
//!   reading).
//!
//! No deadline runs while a request is being answered ([`Activity::begin`]): a query
//! waiting for a worker is the server's delay, not the client's.
//!
//! Known limits: a deadline that passes ends the connection with no response (as
//! before: a client that does not finish its request gets no answer). An answer's
//! writes are bounded by their progress, not by a total time: a client that reads a
//! large answer a few bytes at a time keeps its connection until the idle deadline,
//! which counts from the answer being ready, or until the caps of `conns.rs` close
//! it for a newer one. Bytes pass through one more buffer than hyper's (a copy of
//! each request; answers are written straight to the socket).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll, Waker};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::{Instant, Sleep};

use super::http::{scan, Response, Scan, MAX_HEAD, MAX_TARGET};

/// How long a connection may wait, before its first request or between requests,
/// with nothing sent: browsers keep a connection for the next request this long.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(15);
/// How long one request head may take from its first byte to its end (the whole
/// head, not each read: a byte every few seconds does not keep it alive).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request body may take after its head.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a response write may make no progress.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the server knows of one connection, shared by its socket ([`Guarded`]), its
/// request handler (busy or not) and the connection table (`conns.rs`), which closes
/// the least recently active idle connection when a client is over its cap.
pub struct Activity {
    /// Requests handed to hyper whose answers are not ready yet.
    unanswered: AtomicUsize,
    /// A request's body has come and its answer is being computed.
    busy: AtomicBool,
    /// When the connection was accepted, its last head ended or its last answer was
    /// ready: the start of its idle time.
    idle_since: Mutex<Instant>,
    /// A head refused before hyper saw it: written when hyper has stopped.
    refusal: Mutex<Option<Response>>,
    /// The connection's task, to wake when an answer is ready: its socket then has
    /// a deadline again, or a refusal to give hyper, and hyper, which reads the next
    /// head only when the socket wakes it, must look.
    reader: Mutex<Option<Waker>>,
    evict: Notify,
}

impl Activity {
    pub fn new() -> Activity {
        Activity {
            unanswered: AtomicUsize::new(0),
            busy: AtomicBool::new(false),
            idle_since: Mutex::new(Instant::now()),
            refusal: Mutex::new(None),
            reader: Mutex::new(None),
            evict: Notify::new(),
        }
    }

    /// Marks a request being answered until the returned value is dropped, which
    /// says its answer is ready.
    pub fn begin(self: &Arc<Activity>) -> Busy {
        self.busy.store(true, Ordering::Release);
        Busy(Arc::clone(self))
    }

    pub fn is_busy(&self) -> bool {
        self.busy.load(Ordering::Acquire)
    }

    pub fn idle_since(&self) -> Instant {
        *self.idle_since.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn touch(&self) {
        *self.idle_since.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    /// The refused head's response, once.
    pub fn take_refusal(&self) -> Option<Response> {
        self.refusal.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// Wakes `cx`'s task when the answer being computed is ready.
    fn wake_when_idle(&self, cx: &Context<'_>) {
        *self.reader.lock().unwrap_or_else(|p| p.into_inner()) = Some(cx.waker().clone());
    }

    fn has_refusal(&self) -> bool {
        self.refusal.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }

    /// Asks the connection's task to close it.
    pub fn evict(&self) {
        // A stored permit: the task sees it even if it is not waiting yet.
        self.evict.notify_one();
    }

    /// Resolves when [`Activity::evict`] was called.
    pub async fn evicted(&self) {
        self.evict.notified().await
    }
}

impl Default for Activity {
    fn default() -> Activity {
        Activity::new()
    }
}

/// A request being answered; see [`Activity::begin`].
pub struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.store(false, Ordering::Release);
        // Every request handed to hyper reaches `begin`, or its connection ends.
        let _ = self
            .0
            .unanswered
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| Some(n.saturating_sub(1)));
        let reader = self.0.reader.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(waker) = reader {
            waker.wake();
        }
    }
}

/// The socket as hyper sees it. It shares the stream with the connection's task
/// (`Arc`), which writes a refusal and closes the socket after hyper has stopped,
/// whichever way hyper stopped.
pub struct Guarded {
    stream: Arc<TcpStream>,
    activity: Arc<Activity>,
    /// Bytes received and not yet given to hyper: the head being gathered, or what
    /// followed a head in the same read.
    pending: Vec<u8>,
    /// How many bytes at the front of `pending` are checked and may go to hyper.
    ready: usize,
    /// How much of `pending` had been scanned when it was last found partial.
    scanned: usize,
    /// Bytes of the current request's body not yet passed to hyper.
    body_left: u64,
    /// When the head being gathered began (its first byte).
    head_since: Option<Instant>,
    /// When the current body began (its head's end).
    body_since: Instant,
    write_stalled_since: Option<Instant>,
    read_timer: Pin<Box<Sleep>>,
    write_timer: Pin<Box<Sleep>>,
}

impl Guarded {
    pub fn new(stream: Arc<TcpStream>, activity: Arc<Activity>) -> Guarded {
        let now = Instant::now();
        Guarded {
            stream,
            activity,
            pending: Vec::new(),
            ready: 0,
            scanned: 0,
            body_left: 0,
            head_since: None,
            body_since: now,
            write_stalled_since: None,
            read_timer: Box::pin(tokio::time::sleep_until(now)),
            write_timer: Box::pin(tokio::time::sleep_until(now)),
        }
    }

    /// When reading must have got somewhere, if it must.
    fn read_deadline(&self) -> Option<Instant> {
        if self.body_left > 0 {
            return Some(self.body_since + BODY_TIMEOUT);
        }
        if self.activity.is_busy() {
            return None;
        }
        let idle = self.activity.idle_since();
        Some(match self.head_since {
            // A head begun while the request before it was answered (pipelined) is
            // timed from that answer.
            Some(since) => since.max(idle) + HEAD_TIMEOUT,
            None => idle + IDLE_TIMEOUT,
        })
    }

    /// Whether `pending`, a head not yet whole, is worth parsing again: httparse
    /// parses from the start, and a head trickled a byte at a time must not cost
    /// a parse of up to 16 KiB per byte. A new line, a first read, or the length
    /// bounds are worth it.
    fn worth_scanning(&self) -> bool {
        let new = &self.pending[self.scanned..];
        self.scanned == 0
            || new.contains(&b'\n')
            || self.pending.len() >= MAX_HEAD
            || (self.pending.len() > MAX_TARGET && !self.pending[..self.scanned].contains(&b'\n'))
    }

    /// Sorts `pending` into bytes hyper may have, a refusal, or nothing yet.
    fn sort_pending(&mut self) {
        if self.pending.is_empty() || self.ready > 0 {
            return;
        }
        if self.body_left > 0 {
            let n = self.pending.len().min(usize::try_from(self.body_left).unwrap_or(usize::MAX));
            self.ready = n;
            self.body_left -= n as u64;
            return;
        }
        if !self.worth_scanning() {
            return;
        }
        match scan(&self.pending) {
            Scan::Partial => self.scanned = self.pending.len(),
            Scan::Complete { len, body } => {
                self.ready = len;
                self.scanned = 0;
                self.body_left = body;
                self.head_since = None;
                self.body_since = Instant::now();
                self.activity.touch();
                self.activity.unanswered.fetch_add(1, Ordering::AcqRel);
            }
            Scan::Refused(response) => {
                *self.activity.refusal.lock().unwrap_or_else(|p| p.into_inner()) = Some(response);
                self.pending.clear();
            }
        }
    }

    /// Reads what the socket has into `pending`: `Ok(false)` at its end.
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<bool>> {
        let mut chunk = [0u8; 8192];
        loop {
            ready!(self.stream.poll_read_ready(cx))?;
            match self.stream.try_read(&mut chunk) {
                Ok(0) => return Poll::Ready(Ok(false)),
                Ok(n) => {
                    if self.pending.is_empty() && self.body_left == 0 && self.ready == 0 {
                        self.head_since = Some(Instant::now());
                    }
                    self.pending.extend_from_slice(&chunk[..n]);
                    return Poll::Ready(Ok(true));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    /// `Pending`, with the read timer set, or the deadline's error.
    fn wait_for_read(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(deadline) = self.read_deadline() else {
            self.activity.wake_when_idle(cx);
            return Poll::Pending;
        };
        self.read_timer.as_mut().reset(deadline);
        match self.read_timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                Poll::Ready(Err(timed_out("the client sent its request too slowly")))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    /// `Pending`, with the write timer set, or the deadline's error.
    fn wait_for_write<R>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        let since = *self.write_stalled_since.get_or_insert_with(Instant::now);
        self.write_timer.as_mut().reset(since + WRITE_TIMEOUT);
        match self.write_timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(timed_out("the client stopped reading"))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_write_with(
        &mut self,
        cx: &mut Context<'_>,
        write: impl Fn(&TcpStream) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        loop {
            match self.stream.poll_write_ready(cx) {
                Poll::Pending => return self.wait_for_write(cx),
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) => {}
            }
            match write(&self.stream) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                done => {
                    self.write_stalled_since = None;
                    return Poll::Ready(done);
                }
            }
        }
    }
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, what.to_string())
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            this.sort_pending();
            if this.ready > 0 {
                let n = this.ready.min(buf.remaining());
                buf.put_slice(&this.pending[..n]);
                this.pending.drain(..n);
                this.ready -= n;
                return Poll::Ready(Ok(()));
            }
            if this.activity.has_refusal() {
                // The end of input for hyper, but only once the requests before are
                // answered: hyper takes an end during an answer for a client gone.
                // The answer's end wakes this task again.
                if this.activity.unanswered.load(Ordering::Acquire) > 0 {
                    this.activity.wake_when_idle(cx);
                    return Poll::Pending;
                }
                return Poll::Ready(Ok(()));
            }
            match this.poll_fill(cx) {
                // A head cut short by the client's close is dropped: nobody to answer.
                Poll::Ready(Ok(false)) => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(true)) => continue,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return this.wait_for_read(cx),
            }
        }
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_with(cx, |s| s.try_write(data))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_with(cx, |s| s.try_write_vectored(bufs))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        // Writes go straight to the socket.
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        // The connection's task closes the socket, after writing any refusal.
        Poll::Ready(Ok(()))
    }
}
