//! Server functions of the atlas (public).
use leptos::prelude::*;

use super::{Atlas, LabDetail};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    use super::super::{geo, Atlas, LabCard};
    use crate::error::AppError;
    use sqlx::{FromRow, SqlitePool};

    #[derive(FromRow)]
    pub struct LabRow {
        pub id: i64,
        slug: String,
        name: String,
        host_structure: String,
        lab_type: String,
        lab_type_slug: String,
        region_code: String,
        region: String,
        city: String,
        website: Option<String>,
        description: String,
        created_year: Option<i64>,
        latitude: Option<f64>,
        longitude: Option<f64>,
    }

    impl LabRow {
        pub fn card(&self) -> LabCard {
            LabCard {
                slug: self.slug.clone(),
                name: self.name.clone(),
                host: self.host_structure.clone(),
                lab_type: self.lab_type.clone(),
                region_code: self.region_code.clone(),
                region: self.region.clone(),
                city: self.city.clone(),
                website: self.website.clone(),
                description: self.description.clone(),
                created_year: self.created_year,
                latitude: self.latitude,
                longitude: self.longitude,
                point: match (self.latitude, self.longitude) {
                    (Some(lat), Some(lon)) => geo::project(lat, lon),
                    _ => None,
                },
            }
        }
    }

    pub async fn rows(pool: &SqlitePool) -> Result<Vec<LabRow>, AppError> {
        Ok(sqlx::query_as::<_, LabRow>(
            "SELECT l.id, l.slug, l.name, l.host_structure, t.label AS lab_type, t.slug AS lab_type_slug, \
                l.region_code, r.name AS region, l.city, l.website, l.description, l.created_year, \
                l.latitude, l.longitude \
             FROM labs l JOIN lab_types t ON t.id = l.lab_type_id JOIN regions r ON r.code = l.region_code \
             ORDER BY r.sort_order, l.name",
        )
        .fetch_all(pool)
        .await?)
    }

    pub async fn atlas(pool: &SqlitePool, region: &str, lab_type: &str) -> Result<Atlas, AppError> {
        let all = rows(pool).await?;
        let total = all.len();
        let mut regions: Vec<(String, String, usize)> = Vec::new();
        let mut types: Vec<(String, String, usize)> = Vec::new();
        for row in &all {
            // Each facet counts under the other filter (as in the programme).
            if lab_type.is_empty() || row.lab_type_slug == lab_type {
                match regions.iter_mut().find(|r| r.0 == row.region_code) {
                    Some(r) => r.2 += 1,
                    None => regions.push((row.region_code.clone(), row.region.clone(), 1)),
                }
            }
            if region.is_empty() || row.region_code == region {
                match types.iter_mut().find(|t| t.0 == row.lab_type_slug) {
                    Some(t) => t.2 += 1,
                    None => types.push((row.lab_type_slug.clone(), row.lab_type.clone(), 1)),
                }
            }
        }
        types.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
        let labs = all
            .iter()
            .filter(|r| region.is_empty() || r.region_code == region)
            .filter(|r| lab_type.is_empty() || r.lab_type_slug == lab_type)
            .map(LabRow::card)
            .collect();
        Ok(Atlas {
            labs,
            total,
            regions,
            types,
        })
    }
}

#[server(endpoint = "labs/atlas")]
pub async fn labs_atlas(region: String, lab_type: String) -> Result<Atlas, AppError> {
    crate::server_fn::public(crate::server_fn::Reply::Data, async |state| {
        ssr::atlas(&state.pool, region.trim(), lab_type.trim()).await
    })
    .await
}

#[server(endpoint = "labs/lab")]
pub async fn get_lab(slug: String) -> Result<LabDetail, AppError> {
    crate::server_fn::public(crate::server_fn::Reply::Data, async |state| {
        let rows = ssr::rows(&state.pool).await?;
        let row = rows
            .iter()
            .find(|r| r.card().slug == slug)
            .ok_or_else(|| AppError::NotFound("Ce laboratoire n'est pas dans l'Atlas.".into()))?;
        let events = crate::events::db::by_lab(&state.pool, row.id).await?;
        Ok(LabDetail {
            lab: row.card(),
            events,
        })
    })
    .await
}
