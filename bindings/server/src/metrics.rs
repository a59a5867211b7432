//! Prometheus metrics (`GET /metrics`), in the official client's text format.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct CommandLabels {
    /// `accepted`, `duplicate` or `refused`.
    pub outcome: String,
    /// The refusal's code; empty when accepted.
    pub code: String,
}

/// Every metric the service exports.
pub(crate) struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram>,
    pub commands: Family<CommandLabels, Counter>,
    pub timers_fired: Counter,
    pub outbox_depth: Gauge,
    pub timers_due: Gauge,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("motcua");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests by method, route and status", requests.clone());
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
        });
        registry.register("http_request_duration_seconds", "Time to answer a request, by route", latency.clone());
        let commands = Family::<CommandLabels, Counter>::default();
        registry.register(
            "commands",
            "Submissions and commands by outcome (accepted, duplicate, refused) and refusal code",
            commands.clone(),
        );
        let timers_fired = Counter::default();
        registry.register("timers_fired", "Dossiers whose due timers this replica fired", timers_fired.clone());
        let outbox_depth = Gauge::default();
        registry.register(
            "outbox_depth",
            "Effects not yet acknowledged (pending or leased), at the last scrape",
            outbox_depth.clone(),
        );
        let timers_due = Gauge::default();
        registry.register("timers_due", "Open dossiers with a timer due now, at the last scrape", timers_due.clone());
        Metrics { registry, requests, latency, commands, timers_fired, outbox_depth, timers_due }
    }

    /// Records a command's outcome.
    pub fn command(&self, outcome: &str, code: &str) {
        self.commands.get_or_create(&CommandLabels { outcome: outcome.into(), code: code.into() }).inc();
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
