//! Progress of a transfer on stderr: `name  [#####-----]  3.1 MiB / 6.0 MiB  52%  12.4 MiB/s`,
//! redrawn in place with `\r` at most ten times a second, and only when stderr is a terminal,
//! so scripts, pipes and tests capturing stderr see nothing of it. No crate needed for that.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Shortest time between two redraws.
const REDRAW: Duration = Duration::from_millis(100);
/// Width of the bar, in characters.
const BAR: usize = 20;

/// A progress line for one transfer; clones share it (the upload's callback runs elsewhere).
#[derive(Clone)]
pub struct Progress {
    line: Arc<Mutex<Line>>,
}

struct Line {
    label: String,
    enabled: bool,
    started: Instant,
    last_draw: Option<Instant>,
    done: u64,
    total: Option<u64>,
}

impl Progress {
    /// A progress line labelled `label`, drawn only if stderr is a terminal.
    pub fn new(label: &str) -> Self {
        Self {
            line: Arc::new(Mutex::new(Line {
                label: label.to_owned(),
                enabled: std::io::stderr().is_terminal(),
                started: Instant::now(),
                last_draw: None,
                done: 0,
                total: None,
            })),
        }
    }

    /// The callback to hand to the transfer: `(bytes done, total if known)`.
    pub fn callback(&self) -> impl FnMut(u64, Option<u64>) + Send + 'static {
        let p = self.clone();
        move |done, total| p.update(done, total)
    }

    fn update(&self, done: u64, total: Option<u64>) {
        let mut l = self.line.lock().unwrap_or_else(PoisonError::into_inner);
        l.done = done;
        l.total = total;
        let now = Instant::now();
        if l.enabled && l.last_draw.is_none_or(|t| now.duration_since(t) >= REDRAW) {
            l.last_draw = Some(now);
            l.draw(now, false);
        }
    }

    /// Draws the final state and ends the line (when anything was drawn).
    pub fn finish(&self) {
        let l = self.line.lock().unwrap_or_else(PoisonError::into_inner);
        if l.enabled && l.last_draw.is_some() {
            l.draw(Instant::now(), true);
        }
    }

    /// Erases the line (the transfer failed: the error message takes its place).
    pub fn clear(&self) {
        let l = self.line.lock().unwrap_or_else(PoisonError::into_inner);
        if l.enabled && l.last_draw.is_some() {
            eprint!("\r\x1b[K");
            let _ = std::io::stderr().flush();
        }
    }
}

impl Line {
    fn draw(&self, now: Instant, last: bool) {
        let elapsed = now.duration_since(self.started).as_secs_f64();
        let text = render(&self.label, self.done, self.total, elapsed);
        eprint!("\r{text}\x1b[K{}", if last { "\n" } else { "" });
        let _ = std::io::stderr().flush();
    }
}

/// One progress line, without control characters.
fn render(label: &str, done: u64, total: Option<u64>, elapsed_secs: f64) -> String {
    let rate = if elapsed_secs > 0.0 {
        // Precision does not matter for a rate on screen.
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        #[allow(clippy::cast_sign_loss)]
        let r = (done as f64 / elapsed_secs) as u64;
        format!("  {}/s", bytes(r))
    } else {
        String::new()
    };
    match total {
        Some(t) if t > 0 => {
            let pct = done.min(t).saturating_mul(100) / t;
            let filled = usize::try_from(done.min(t).saturating_mul(BAR as u64) / t).unwrap_or(BAR);
            format!(
                "{label}  [{}{}]  {} / {}  {pct:>3}%{rate}",
                "#".repeat(filled),
                "-".repeat(BAR - filled),
                bytes(done),
                bytes(t)
            )
        }
        _ => format!("{label}  {}{rate}", bytes(done)),
    }
}

/// A size for people: `512 B`, `1.5 KiB`, `3.2 MiB`, `1.0 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    // Precision does not matter for a size on screen.
    #[allow(clippy::cast_precision_loss)]
    let mut v = n as f64 / 1024.0;
    let mut unit = UNITS[0];
    for u in &UNITS[1..] {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(5 * 1024 * 1024), "5.0 MiB");
        assert_eq!(bytes(3 << 30), "3.0 GiB");
    }

    #[test]
    fn a_line_shows_bar_sizes_percent_and_rate() {
        assert_eq!(
            render("a.jpg", 512 * 1024, Some(1024 * 1024), 0.5),
            "a.jpg  [##########----------]  512.0 KiB / 1.0 MiB   50%  1.0 MiB/s"
        );
        assert_eq!(render("b", 10, None, 0.0), "b  10 B");
        assert_eq!(render("c", 0, Some(0), 1.0), "c  0 B  0 B/s");
    }

    #[test]
    fn nothing_is_drawn_when_stderr_is_not_a_terminal() {
        // `cargo test` captures stderr: not a terminal, so this must stay silent and cheap.
        let p = Progress::new("x");
        let mut cb = p.callback();
        cb(1, Some(2));
        cb(2, Some(2));
        p.finish();
        let l = p.line.lock().unwrap_or_else(PoisonError::into_inner);
        assert!(l.last_draw.is_none() || l.enabled);
        assert_eq!(l.done, 2);
    }
}
