//! The report of `latchkey doctor`: one row per stage (passed, failed with the fix, not reached,
//! or unknown when the server gives no way to tell), printed for people or as JSON.

use serde::Serialize;

use super::stages::{Finding, Stage};

/// How a stage went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The stage let the call through.
    Passed,
    /// The stage refused.
    Failed,
    /// An earlier stage refused.
    NotReached,
    /// The server gives no way to tell without making the call.
    Unknown,
}

/// One row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The stage.
    pub stage: Stage,
    /// How it went.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// The stable reason of a failure, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What to do, for a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The call: `PATCH /content/dam/x (modify)`.
    pub call: String,
    /// The AEM environment asked.
    pub aem: String,
    /// The client the token belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Whether the call would pass: `None` when a stage could not be checked.
    pub allowed: Option<bool>,
    /// The rows, in chain order.
    pub stages: Vec<Row>,
    /// A note that belongs to no stage (a missing asset, a server without a dry run).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Report {
    /// An empty report of `call` on `aem`.
    pub fn new(call: String, aem: String) -> Self {
        Self {
            call,
            aem,
            client_id: None,
            allowed: None,
            stages: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn set(&mut self, row: Row) {
        self.stages.retain(|r| r.stage != row.stage);
        self.stages.push(row);
        self.stages.sort_by_key(|r| r.stage);
    }

    /// Marks `stage` passed.
    pub fn pass(&mut self, stage: Stage, detail: impl Into<String>) {
        self.set(Row {
            stage,
            status: Status::Passed,
            detail: detail.into(),
            reason: None,
            fix: None,
        });
    }

    /// Marks `stage` unknown.
    pub fn unknown(&mut self, stage: Stage, detail: impl Into<String>) {
        self.set(Row {
            stage,
            status: Status::Unknown,
            detail: detail.into(),
            reason: None,
            fix: None,
        });
    }

    /// Records a refusal: its stage failed, the stages before it passed (unless already
    /// described), the ones after were not reached.
    pub fn fail(&mut self, f: Finding) {
        let failed = f.stage;
        self.set(Row {
            stage: failed,
            status: Status::Failed,
            detail: f.detail,
            reason: f.reason,
            fix: Some(f.fix),
        });
        self.finish_with(|s| {
            if s < failed {
                Status::Passed
            } else {
                Status::NotReached
            }
        });
        self.allowed = Some(false);
    }

    /// No stage refused: the call passes, unless a stage is unknown.
    pub fn allow(&mut self) {
        self.finish_with(|_| Status::Passed);
        let checked = self.stages.iter().all(|r| r.status == Status::Passed);
        self.allowed = checked.then_some(true);
    }

    /// Fills the stages not described yet.
    fn finish_with(&mut self, status: impl Fn(Stage) -> Status) {
        for stage in Stage::ALL {
            if !self.stages.iter().any(|r| r.stage == stage) {
                let st = status(stage);
                self.set(Row {
                    stage,
                    status: st,
                    detail: match st {
                        Status::Passed => "passed".into(),
                        _ => "not reached".into(),
                    },
                    reason: None,
                    fix: None,
                });
            }
        }
    }

    /// The failed row, if any.
    pub fn failure(&self) -> Option<&Row> {
        self.stages.iter().find(|r| r.status == Status::Failed)
    }

    /// The report for people.
    pub fn render(&self) -> String {
        let mut out = format!("latchkey doctor: {} on {}", self.call, self.aem);
        if let Some(c) = &self.client_id {
            out.push_str(&format!(" as client {c}"));
        }
        out.push_str("\n\n");
        let width = Stage::ALL
            .iter()
            .map(|s| s.label().len())
            .max()
            .unwrap_or(0);
        for r in &self.stages {
            let mark = match r.status {
                Status::Passed => "[ ok ]",
                Status::Failed => "[FAIL]",
                Status::NotReached => "[ -- ]",
                Status::Unknown => "[ ?? ]",
            };
            out.push_str(&format!(
                "  {mark}  {:<width$}  {}\n",
                r.stage.label(),
                r.detail
            ));
            if let Some(fix) = &r.fix {
                out.push_str(&format!("          {:<width$}  fix: {fix}\n", ""));
            }
        }
        for n in &self.notes {
            out.push_str(&format!("\nnote: {n}\n"));
        }
        out.push('\n');
        out.push_str(&match (self.allowed, self.failure()) {
            (Some(true), _) => "The call would pass every stage.".to_owned(),
            (_, Some(f)) => format!(
                "The call is refused at the {} stage{}.",
                f.stage.label(),
                f.reason
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ),
            _ => "Some stages could not be checked; see above.".to_owned(),
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_passes_the_stages_before_it_and_skips_the_rest() {
        let mut r = Report::new("GET /content/dam (read)".into(), "http://x".into());
        r.pass(Stage::Token, "token for c1");
        r.fail(Finding {
            stage: Stage::Allowlist,
            reason: Some("client_not_allowlisted".into()),
            detail: "IMS Client ID not allowlisted.".into(),
            fix: "add c1 to api.yaml".into(),
        });
        let st: Vec<Status> = r.stages.iter().map(|s| s.status).collect();
        assert_eq!(
            st,
            [
                Status::Passed,
                Status::Passed,
                Status::Passed,
                Status::Failed,
                Status::NotReached,
                Status::NotReached
            ]
        );
        assert_eq!(r.allowed, Some(false));
        let text = r.render();
        assert!(text.contains("[FAIL]  allowlist"), "{text}");
        assert!(text.contains("fix: add c1 to api.yaml"), "{text}");
        assert!(text.ends_with("refused at the allowlist stage (client_not_allowlisted)."));
    }

    #[test]
    fn an_unknown_stage_keeps_the_verdict_open() {
        let mut r = Report::new("PATCH x (modify)".into(), "https://adobe".into());
        r.unknown(Stage::Permission, "cannot tell without making the call");
        r.allow();
        assert_eq!(r.allowed, None);
        assert!(r.render().contains("[ ?? ]  permission"));
    }
}
