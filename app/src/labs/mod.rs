//! The Atlas des labs: public innovation labs, filtered by region and type, on the regions
//! map, each with its page and its events across editions.
pub mod geo;
pub mod pages;
pub mod server;

use serde::{Deserialize, Serialize};

use crate::events::model::EventCard;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabCard {
    pub slug: String,
    pub name: String,
    pub host: String,
    pub lab_type: String,
    pub region_code: String,
    pub region: String,
    pub city: String,
    pub website: Option<String>,
    pub description: String,
    pub created_year: Option<i64>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Where it goes on the metropolitan map (none for overseas or unknown coordinates).
    pub point: Option<(f32, f32)>,
}

/// (value, label, number of labs).
pub type Facet = (String, String, usize);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Atlas {
    pub labs: Vec<LabCard>,
    pub total: usize,
    pub regions: Vec<Facet>,
    pub types: Vec<Facet>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabDetail {
    pub lab: LabCard,
    pub events: Vec<(i32, EventCard)>,
}
