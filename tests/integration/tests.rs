//! Integration tests, in one binary: against a real AWS API (moto in server
//! mode, started per test on 127.0.0.1), the real Graphviz, and the built CLI.

mod access;
mod diff;
mod elasticache;
mod faults;
mod graph;
mod prices;
mod render;
mod scan;
mod support;
