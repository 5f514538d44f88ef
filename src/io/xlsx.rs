//! Import of a workbook in the standard layout.
