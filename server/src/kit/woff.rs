//! WOFF 1.0 to TrueType/OpenType (W3C WOFF, section 5), for the sharing image: the site ships
//! Marianne as WOFF, and resvg reads only TrueType/OpenType.

/// The TrueType/OpenType font inside a WOFF 1.0 file (W3C WOFF, section 5): its tables,
/// inflated when compressed, written back behind an sfnt header. The checksums are copied.
pub fn woff_to_sfnt(woff: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let u32_at = |at: usize| -> Result<u32, String> {
        woff.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| "WOFF: truncated".to_string())
    };
    let u16_at = |at: usize| -> Result<u16, String> {
        woff.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "WOFF: truncated".to_string())
    };
    if u32_at(0)? != 0x774F_4646 {
        return Err("not a WOFF 1.0 file".into());
    }
    let flavor = u32_at(4)?;
    let tables = usize::from(u16_at(12)?);
    let mut entries = Vec::with_capacity(tables);
    for i in 0..tables {
        let at = 44 + 20 * i;
        let (tag, offset, compressed, original, checksum) = (
            u32_at(at)?,
            u32_at(at + 4)? as usize,
            u32_at(at + 8)? as usize,
            u32_at(at + 12)? as usize,
            u32_at(at + 16)?,
        );
        let stored = woff
            .get(offset..offset + compressed)
            .ok_or_else(|| "WOFF: a table outside the file".to_string())?;
        let data = if compressed < original {
            let mut data = Vec::with_capacity(original);
            flate2::read::ZlibDecoder::new(stored)
                .read_to_end(&mut data)
                .map_err(|e| format!("WOFF: {e}"))?;
            if data.len() != original {
                return Err("WOFF: a table of the wrong length".into());
            }
            data
        } else {
            stored.to_vec()
        };
        entries.push((tag, checksum, data));
    }
    entries.sort_by_key(|(tag, _, _)| *tag);
    let count = u16::try_from(tables).map_err(|_| "WOFF: too many tables".to_string())?;
    let power = 1u16 << (15 - count.max(1).leading_zeros());
    let search_range = power * 16;
    let entry_selector = power.trailing_zeros() as u16;
    let mut out = Vec::new();
    out.extend_from_slice(&flavor.to_be_bytes());
    for value in [
        count,
        search_range,
        entry_selector,
        count * 16 - search_range,
    ] {
        out.extend_from_slice(&value.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables;
    for (tag, checksum, data) in &entries {
        for value in [*tag, *checksum, offset as u32, data.len() as u32] {
            out.extend_from_slice(&value.to_be_bytes());
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, _, data) in &entries {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    Ok(out)
}
