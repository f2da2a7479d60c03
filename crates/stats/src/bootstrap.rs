//! Seeded, parallel bootstrap. STUB.
