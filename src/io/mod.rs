//! Reading and writing the unit: the project's JSON format and standard-layout workbooks.

pub mod xlsx;
