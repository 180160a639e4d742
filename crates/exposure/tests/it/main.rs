//! Integration tests of `phongdich-exposure` against published test data.

mod crypto_vector;
mod export;
mod scoring;
