//! Shared test machinery: the emulator, seeding, assertions.

pub mod moto;
pub mod seed;
