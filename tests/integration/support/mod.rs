//! Shared test machinery: the emulator, seeding, assertions.
