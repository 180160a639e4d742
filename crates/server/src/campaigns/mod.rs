//! Adoption campaigns on the server: the status of a campaign on a date (the one computation
//! behind the dashboard, the XLSX and the PDF, so their totals always agree), the printed
//! reports, and the reminders sent to units that have not reported two days before a date.

pub(crate) mod documents;
pub(crate) mod reminders;
pub(crate) mod status;
