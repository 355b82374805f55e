//! Full-stack tests: one integration-test binary (ARCHITECTURE.md: many test binaries each link
//! the whole workspace, which is slow). Servers listen on 127.0.0.1:0 only.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod aem_chain;
mod binary;
mod cli_admin;
mod cli_assets;
mod cli_doctor;
mod cli_errors;
mod cli_rotate;
mod cli_run;
mod cli_secrets;
mod cli_token;
mod client_assets;
mod client_provider;
mod client_resource;
mod console;
mod contract;
mod crash;
mod discovery;
mod introspection;
mod jwt_exchange;
mod jwt_support;
mod key_rotation;
mod node;
mod openapi;
mod products;
mod service_accounts;
mod sources_helpers;
mod support;
mod throttling;
mod tls;
mod upload_memory;
mod usage;
