//! Backups that restore: `server backup FILE` (a consistent copy while the server serves and
//! writes), `server restore FILE` (refusing anything that is not a sound backup of this
//! schema), and the backups the server schedules itself (`MIP_BACKUP_DIR`).
//!
//! Every file is written beside its final name under a temporary one, checked, synced, then
//! renamed: a crash leaves either the old file or the new one, never half of one.
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{ConnectOptions, Connection, SqliteConnection, SqlitePool};

/// What went wrong, in one French line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file or the request is not acceptable: nothing was changed.
    #[error("{0}")]
    Refused(String),
    #[error("{0} : {1}")]
    Io(String, std::io::Error),
    #[error("{0} : {1}")]
    Database(String, sqlx::Error),
}

fn io(what: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.to_string();
    move |e| BackupError::Io(what, e)
}

fn database(what: impl std::fmt::Display) -> impl FnOnce(sqlx::Error) -> BackupError {
    let what = what.to_string();
    move |e| BackupError::Database(what, e)
}

/// The database file of a `sqlite:` URL (not an in-memory database).
pub fn database_file(url: &str) -> Result<PathBuf, BackupError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| BackupError::Refused(format!("DATABASE_URL « {url} » : {e}")))?;
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Err(BackupError::Refused(format!(
            "DATABASE_URL « {url} » est une base en mémoire : rien à sauvegarder ni à restaurer"
        )));
    }
    Ok(options.get_filename().to_path_buf())
}

/// The live database, opened as the server opens it but neither created nor migrated: a
/// backup never changes what it copies.
pub async fn open_existing(url: &str) -> Result<SqlitePool, BackupError> {
    let file = database_file(url)?;
    if !file.is_file() {
        return Err(BackupError::Refused(format!(
            "la base {} n'existe pas (DATABASE_URL)",
            file.display()
        )));
    }
    let options = SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(5));
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(database(format!("base {}", file.display())))
}

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub file: PathBuf,
    pub bytes: u64,
}

/// Writes a consistent copy of the database behind `pool` to `dest`: one read transaction
/// (`VACUUM INTO`, which never blocks the writers of a WAL database) holding every write
/// committed before it started; then `PRAGMA integrity_check` on the copy, sync, rename.
pub async fn backup_to(
    pool: &SqlitePool,
    dest: &Path,
    force: bool,
) -> Result<Written, BackupError> {
    if dest.exists() && !force {
        return Err(BackupError::Refused(format!(
            "{} existe déjà : choisissez un autre nom (ou --force pour le remplacer)",
            dest.display()
        )));
    }
    if dest.is_dir() {
        return Err(BackupError::Refused(format!(
            "{} est un dossier : donnez le nom du fichier à écrire",
            dest.display()
        )));
    }
    let dir = parent_dir(dest);
    if !dir.is_dir() {
        return Err(BackupError::Refused(format!(
            "le dossier {} n'existe pas",
            dir.display()
        )));
    }
    let temp = temp_path(dest);
    let result = async {
        let temp_name = temp.to_str().ok_or_else(|| {
            BackupError::Refused(format!("{} : nom de fichier non UTF-8", dest.display()))
        })?;
        sqlx::query("VACUUM INTO ?")
            .bind(temp_name)
            .execute(pool)
            .await
            .map_err(database("copie de la base (VACUUM INTO)"))?;
        // A single file, readable without its -wal: the copy leaves WAL mode (the server puts
        // it back when it opens a restored file).
        let mut copy = open_file(&temp, SqliteJournalMode::Delete)
            .await
            .map_err(database(format!("copie {}", temp.display())))?;
        let integrity = integrity_check(&mut copy).await;
        let _ = copy.close().await;
        if let Err(problem) = integrity? {
            return Err(BackupError::Refused(format!(
                "la copie écrite ne passe pas le contrôle d'intégrité : {problem}"
            )));
        }
        sync_file(&temp)?;
        std::fs::rename(&temp, dest).map_err(io(format!("renommage en {}", dest.display())))?;
        sync_dir(&dir)?;
        let bytes = std::fs::metadata(dest).map_err(io(dest.display()))?.len();
        Ok(Written {
            file: dest.to_path_buf(),
            bytes,
        })
    }
    .await;
    if result.is_err() {
        remove_with_companions(&temp);
    }
    result
}

/// What a restore put in place.
#[derive(Debug, Clone)]
pub struct Restored {
    /// Migrations the backup had applied.
    pub applied: usize,
    /// Migrations of this binary it has not: applied at the next start.
    pub pending: usize,
}

/// Puts the backup `source` in place of the database file `target`. The server must be
/// stopped (refused when a process has `target` open in WAL mode). Refused, with `target`
/// untouched, for a file that is not SQLite, fails `PRAGMA integrity_check`, or whose
/// `_sqlx_migrations` is not a prefix of this binary's migrations (same versions, same
/// checksums; a backup older than the binary is accepted and migrated at the next start).
pub async fn restore(source: &Path, target: &Path) -> Result<Restored, BackupError> {
    check_header(source)?;
    if in_use(target) {
        return Err(BackupError::Refused(format!(
            "la base {} est ouverte par un autre processus : arrêtez le serveur avant de restaurer",
            target.display()
        )));
    }
    let dir = parent_dir(target);
    std::fs::create_dir_all(&dir).map_err(io(dir.display()))?;
    let temp = temp_path(target);
    let result = async {
        std::fs::copy(source, &temp).map_err(io(format!(
            "copie de {} vers {}",
            source.display(),
            temp.display()
        )))?;
        let restored = check_backup(&temp, source).await?;
        sync_file(&temp)?;
        // The old database's WAL and index would be read as the new one's: gone first.
        for companion in companions(target) {
            match std::fs::remove_file(&companion) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(companion.display())(e)),
            }
        }
        std::fs::rename(&temp, target).map_err(io(format!("renommage en {}", target.display())))?;
        sync_dir(&dir)?;
        Ok(restored)
    }
    .await;
    if result.is_err() {
        remove_with_companions(&temp);
    }
    result
}

/// Checks a copy of a backup (opened read-write: it is ours to change).
async fn check_backup(copy: &Path, source: &Path) -> Result<Restored, BackupError> {
    let refused =
        |why: String| BackupError::Refused(format!("{} refusée : {why}", source.display()));
    let mut connection = open_file(copy, SqliteJournalMode::Delete)
        .await
        .map_err(|e| refused(format!("illisible par SQLite ({e})")))?;
    let result = async {
        match integrity_check(&mut connection).await {
            Ok(Ok(())) => {}
            Ok(Err(problem)) => {
                return Err(refused(format!(
                    "elle ne passe pas le contrôle d'intégrité ({problem})"
                )))
            }
            Err(e) => return Err(refused(format!("elle est endommagée ({e})"))),
        }
        let has_migrations: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&mut connection)
        .await
        .map_err(|e| refused(format!("elle est endommagée ({e})")))?;
        if has_migrations == 0 {
            return Err(refused(
                "ce n'est pas une sauvegarde de cette application (aucune table _sqlx_migrations)"
                    .into(),
            ));
        }
        let applied: Vec<(i64, Vec<u8>, bool)> = sqlx::query_as(
            "SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version",
        )
        .fetch_all(&mut connection)
        .await
        .map_err(|e| refused(format!("sa table _sqlx_migrations est illisible ({e})")))?;
        check_migrations(&applied).map_err(refused)?;
        let pending = crate::db::MIGRATOR
            .iter()
            .filter(|m| !applied.iter().any(|(v, _, _)| *v == m.version))
            .count();
        Ok(Restored {
            applied: applied.len(),
            pending,
        })
    }
    .await;
    let _ = connection.close().await;
    result
}

/// Every migration a backup applied is one of this binary's, with the same checksum, and
/// completed.
fn check_migrations(applied: &[(i64, Vec<u8>, bool)]) -> Result<(), String> {
    if applied.is_empty() {
        return Err(
            "ce n'est pas une sauvegarde de cette application (aucune migration appliquée)".into(),
        );
    }
    for (version, checksum, success) in applied {
        let Some(known) = crate::db::MIGRATOR.iter().find(|m| m.version == *version) else {
            return Err(format!(
                "sa migration {version} est inconnue de ce programme (sauvegarde d'une version plus récente ou d'une autre application)"
            ));
        };
        if known.checksum.as_ref() != checksum.as_slice() {
            return Err(format!(
                "sa migration {version} ({}) diffère de celle de ce programme (somme de contrôle)",
                known.description
            ));
        }
        if !success {
            return Err(format!("sa migration {version} est restée inachevée"));
        }
    }
    Ok(())
}

/// `Ok(Ok(()))` when SQLite finds nothing wrong, `Ok(Err(first problems))` otherwise.
async fn integrity_check(
    connection: &mut SqliteConnection,
) -> Result<Result<(), String>, BackupError> {
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *connection)
        .await
        .map_err(database("contrôle d'intégrité"))?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(Ok(()))
    } else {
        Ok(Err(rows
            .into_iter()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ; ")))
    }
}

async fn open_file(
    file: &Path,
    journal_mode: SqliteJournalMode,
) -> Result<SqliteConnection, sqlx::Error> {
    SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(false)
        .journal_mode(journal_mode)
        .busy_timeout(Duration::from_secs(5))
        .connect()
        .await
}

/// A file that does not start with SQLite's header is refused before anything is copied.
fn check_header(source: &Path) -> Result<(), BackupError> {
    use std::io::Read;
    let mut file = std::fs::File::open(source).map_err(io(source.display()))?;
    if !file.metadata().map_err(io(source.display()))?.is_file() {
        return Err(BackupError::Refused(format!(
            "{} refusée : ce n'est pas un fichier",
            source.display()
        )));
    }
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file
            .read(&mut header[read..])
            .map_err(io(source.display()))?
        {
            0 => break,
            n => read += n,
        }
    }
    if read == 0 {
        return Err(BackupError::Refused(format!(
            "{} refusée : le fichier est vide",
            source.display()
        )));
    }
    if &header[..read] != b"SQLite format 3\0" {
        return Err(BackupError::Refused(format!(
            "{} refusée : ce n'est pas une base SQLite",
            source.display()
        )));
    }
    Ok(())
}

/// Whether a process has `db` open in WAL mode: each SQLite connection holds a shared lock on
/// the "dead man switch" byte of the `-shm` file (byte 128: `UNIX_SHM_DMS` in sqlite3.c) for as
/// long as it is open. A pool whose connections all closed holds none, and then replacing the
/// file under it is harmless: it opens the new one.
#[cfg(unix)]
fn in_use(db: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let shm = companion(db, "-shm");
    let Ok(file) = std::fs::OpenOptions::new().read(true).open(&shm) else {
        return false;
    };
    // SAFETY: a plain `flock` structure, zeroed then filled, given to fcntl(F_GETLK) with
    // the descriptor of a file open for the duration of the call.
    unsafe {
        let mut lock: libc::flock = std::mem::zeroed();
        lock.l_type = libc::F_WRLCK as libc::c_short;
        lock.l_whence = libc::SEEK_SET as libc::c_short;
        lock.l_start = 128;
        lock.l_len = 1;
        libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut lock) == 0
            && lock.l_type != libc::F_UNLCK as libc::c_short
    }
}

#[cfg(not(unix))]
fn in_use(_db: &Path) -> bool {
    false
}

fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.NAME.PID-NANOS.tmp` beside `file`: hidden, and never the name of a finished file.
fn temp_path(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "mip".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    parent_dir(file).join(format!(".{name}.{}-{nanos}.tmp", std::process::id()))
}

fn companion(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn companions(db: &Path) -> [PathBuf; 3] {
    ["-wal", "-shm", "-journal"].map(|suffix| companion(db, suffix))
}

fn remove_with_companions(file: &Path) {
    let _ = std::fs::remove_file(file);
    for companion in companions(file) {
        let _ = std::fs::remove_file(companion);
    }
}

fn sync_file(file: &Path) -> Result<(), BackupError> {
    std::fs::File::open(file)
        .and_then(|f| f.sync_all())
        .map_err(io(format!("synchronisation de {}", file.display())))
}

/// The rename itself reaches the disk.
fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(format!("synchronisation du dossier {}", dir.display())))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

// --- Scheduled backups -----------------------------------------------------------------------

/// The server's own backups: every `interval`, a file named after the UTC time in `dir`,
/// keeping the `keep` newest.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub dir: PathBuf,
    pub interval: Duration,
    pub keep: usize,
}

const SCHEDULED_PREFIX: &str = "mip-";
const SCHEDULED_SUFFIX: &str = "Z.sqlite";
const SCHEDULED_TIME: &str = "%Y%m%dT%H%M%S%.3f";

/// `mip-20261110T080000.000Z.sqlite`: sorts as it was written.
pub fn scheduled_name(at: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{SCHEDULED_PREFIX}{}{SCHEDULED_SUFFIX}",
        at.format(SCHEDULED_TIME)
    )
}

/// Whether `name` is one of the scheduled backups' names.
pub fn is_scheduled_name(name: &str) -> bool {
    name.strip_prefix(SCHEDULED_PREFIX)
        .and_then(|rest| rest.strip_suffix(SCHEDULED_SUFFIX))
        .is_some_and(|time| chrono::NaiveDateTime::parse_from_str(time, SCHEDULED_TIME).is_ok())
}

/// Runs the schedule until `stop` turns true; a backup under way when it does is finished
/// first. Failures are logged and the next backup is tried at its time: never a crash.
pub async fn run_schedule(
    pool: SqlitePool,
    schedule: Schedule,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let start = tokio::time::Instant::now() + schedule.interval;
    let mut ticker = tokio::time::interval_at(start, schedule.interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stop.wait_for(|stopped| *stopped) => return,
        }
        let file = schedule.dir.join(scheduled_name(chrono::Utc::now()));
        match backup_to(&pool, &file, false).await {
            Ok(written) => tracing::info!(
                file = %written.file.display(),
                bytes = written.bytes,
                "sauvegarde programmée écrite"
            ),
            Err(error) => tracing::error!(%error, "sauvegarde programmée : échec"),
        }
        if let Err(error) = prune(&schedule.dir, schedule.keep) {
            tracing::error!(%error, "sauvegardes programmées : nettoyage impossible");
        }
    }
}

/// Deletes the oldest scheduled backups beyond `keep`, and what an interrupted one left
/// (its temporary file). Other files in the folder are left alone.
pub fn prune(dir: &Path, keep: usize) -> Result<Vec<PathBuf>, BackupError> {
    let mut backups = Vec::new();
    let mut removed = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir.display()))? {
        let entry = entry.map_err(io(dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_scheduled_name(&name) {
            backups.push(name);
        } else if name.starts_with(&format!(".{SCHEDULED_PREFIX}")) && name.contains(".tmp") {
            // Only called between two backups: no temporary file is being written.
            let _ = std::fs::remove_file(entry.path());
        }
    }
    backups.sort();
    let excess = backups.len().saturating_sub(keep);
    for name in &backups[..excess] {
        let path = dir.join(name);
        std::fs::remove_file(&path).map_err(io(path.display()))?;
        removed.push(path);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_names_sort_by_time_and_are_recognised() {
        let a = scheduled_name("2026-11-10T08:00:00Z".parse().unwrap());
        let b = scheduled_name("2026-11-10T08:00:00.5Z".parse().unwrap());
        let c = scheduled_name("2026-11-10T10:00:00Z".parse().unwrap());
        assert_eq!(a, "mip-20261110T080000.000Z.sqlite");
        assert!(a < b && b < c);
        assert!(is_scheduled_name(&a));
        assert!(!is_scheduled_name("mip.sqlite"));
        assert!(!is_scheduled_name("mip-notes.sqlite"));
        assert!(!is_scheduled_name(&format!(".{a}.12-34.tmp")));
    }

    #[test]
    fn pruning_keeps_the_newest_and_nothing_else_is_touched() {
        let dir = std::env::temp_dir().join(format!(
            "mip-prune-{}-{}",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let names: Vec<String> = (0..5)
            .map(|h| scheduled_name(format!("2026-11-10T0{h}:00:00Z").parse().unwrap()))
            .collect();
        for name in &names {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        std::fs::write(dir.join("notes.txt"), b"x").unwrap();
        std::fs::write(dir.join(format!(".{}.1-2.tmp", names[0])), b"x").unwrap();
        let removed = prune(&dir, 2).unwrap();
        assert_eq!(removed.len(), 3);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![names[3].clone(), names[4].clone(), "notes.txt".into()]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
