//! Running it for real, with the real binary: backups taken while the server writes and their
//! restore into a fresh folder; restores refused for what is not a backup of this schema; a
//! production start refused when its configuration is wrong; SIGTERM during a burst of
//! requests; the server's scheduled backups and their retention; `/healthz`.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;

/// The longest a test waits for something the server does: a failure, never a timing.
const PATIENCE: Duration = Duration::from_secs(120);

/// A fresh folder under the system's temporary one.
fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("mip-ops-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn url_of(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

/// The binary with a known environment: nothing inherited that changes what it does.
fn server(database: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    for name in [
        "MIP_DEMO",
        "MIP_DEMO_CREDENTIALS",
        "MIP_PUBLIC_URL",
        "MIP_NOW",
        "MIP_SMTP_URL",
        "MIP_BACKUP_DIR",
        "MIP_BACKUP_INTERVAL",
        "MIP_BACKUP_KEEP",
        "LEPTOS_ENV",
    ] {
        command.env_remove(name);
    }
    let dir = database.parent().unwrap();
    command
        .env("DATABASE_URL", url_of(database))
        .env("RUST_LOG", "warn,server=info")
        .env("NO_COLOR", "1")
        .env("LEPTOS_OUTPUT_NAME", "mip")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("MIP_OUTBOX_DIR", dir.join("outbox"))
        .env("MIP_DEMO_CREDENTIALS", dir.join("demo-accounts.json"));
    command
}

/// A running server: its port, and what it printed so far.
struct Running {
    child: Child,
    addr: SocketAddr,
    output: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Running {
    fn start(mut command: Command) -> Running {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let mut readers = Vec::new();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            let tx = tx.clone();
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    if let Some(addr) = line.split("à l'écoute sur http://").nth(1) {
                        let _ = tx.send(addr.trim().parse::<SocketAddr>().unwrap());
                    }
                    let mut output = output.lock().unwrap();
                    output.push_str(&line);
                    output.push('\n');
                }
            }));
        }
        let addr = match rx.recv_timeout(PATIENCE) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the server did not start: {}",
                    output.lock().unwrap().as_str()
                );
            }
        };
        Running {
            child,
            addr,
            output,
            readers,
        }
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Answer {
        request(self.addr, "GET", path)
    }

    fn terminate(&self) {
        // SAFETY: a signal to the child this test started and has not reaped yet.
        let sent = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        assert_eq!(sent, 0);
    }

    /// Its exit status, waiting at most `PATIENCE`.
    fn wait(mut self) -> (std::process::ExitStatus, String) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Its output is read to the end.
                for reader in self.readers.drain(..) {
                    reader.join().unwrap();
                }
                return (status, self.output());
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not stop: {}", self.output());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, and the exit status must be success.
    fn stop(self) -> String {
        self.terminate();
        let (status, output) = self.wait();
        assert!(status.success(), "{status}: {output}");
        output
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What a client got for one request on its own connection.
#[derive(Debug)]
enum Answer {
    /// A whole response: status, headers (lower-case names), body.
    Complete(u16, String, Vec<u8>),
    /// Nobody listens any more.
    Refused,
    /// The connection ended before the first byte of an answer: the request was never read
    /// (a connection still in the kernel's queue when the listener closed), safe to retry.
    ClosedUnanswered(String),
    /// Part of an answer, then the end: what must never happen.
    Partial(usize, String),
}

impl Answer {
    fn status(&self) -> u16 {
        match self {
            Answer::Complete(status, _, _) => *status,
            other => panic!("no answer: {other:?}"),
        }
    }

    fn body(&self) -> String {
        match self {
            Answer::Complete(_, _, body) => String::from_utf8_lossy(body).into_owned(),
            other => panic!("no answer: {other:?}"),
        }
    }

    fn header(&self, name: &str) -> Option<String> {
        match self {
            Answer::Complete(_, head, _) => head.lines().find_map(|line| {
                let (key, value) = line.split_once(':')?;
                (key.trim().eq_ignore_ascii_case(name)).then(|| value.trim().to_string())
            }),
            other => panic!("no answer: {other:?}"),
        }
    }
}

fn request(addr: SocketAddr, method: &str, path: &str) -> Answer {
    exchange(addr, method, path, "", |_| {})
}

/// One request on a fresh connection (`Connection: close`; a form when `form` is not empty),
/// read to its end; `after_head` is called once the first bytes of the answer are in.
fn exchange(
    addr: SocketAddr,
    method: &str,
    path: &str,
    form: &str,
    after_head: impl FnOnce(&[u8]),
) -> Answer {
    let mut stream = match TcpStream::connect(addr) {
        Ok(stream) => stream,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return Answer::Refused,
        Err(e) => return Answer::ClosedUnanswered(format!("connect: {e}")),
    };
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let content_type = if form.is_empty() {
        String::new()
    } else {
        "Content-Type: application/x-www-form-urlencoded\r\n".to_string()
    };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{content_type}\
         Content-Length: {}\r\n\r\n{form}",
        form.len()
    );
    if let Err(e) = stream.write_all(request.as_bytes()) {
        return Answer::ClosedUnanswered(format!("write: {e}"));
    }
    let mut received = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let mut after_head = Some(after_head);
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                received.extend_from_slice(&buffer[..n]);
                if let Some(f) = after_head.take() {
                    f(&received);
                }
            }
            Err(e) if received.is_empty() => return Answer::ClosedUnanswered(format!("read: {e}")),
            Err(e) => return Answer::Partial(received.len(), format!("read: {e}")),
        }
    }
    if received.is_empty() {
        return Answer::ClosedUnanswered("end of stream".into());
    }
    parse_response(&received).unwrap_or_else(|why| Answer::Partial(received.len(), why.to_string()))
}

/// A complete HTTP/1.1 response, or why it is not one.
fn parse_response(bytes: &[u8]) -> Result<Answer, &'static str> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("headers cut")?;
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    let body = &bytes[end + 4..];
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_ascii_lowercase())
        })
    };
    let body = if let Some(length) = header("content-length") {
        let length: usize = length.parse().map_err(|_| "bad length")?;
        if body.len() != length {
            return Err("body shorter than its Content-Length");
        }
        body.to_vec()
    } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        dechunk(body).ok_or("chunked body cut")?
    } else {
        body.to_vec()
    };
    Ok(Answer::Complete(status, head, body))
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return rest.starts_with(b"\r\n").then_some(body);
        }
        if rest.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// Runs the binary with `args` to its end.
fn run(database: &Path, args: &[&str]) -> Output {
    let output = server(database).args(args).output().unwrap();
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_string()
}

async fn open(file: &Path) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(file)
                .create_if_missing(false),
        )
        .await
        .unwrap()
}

async fn integrity(file: &Path) -> String {
    let pool = open(file).await;
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    rows.join("; ")
}

/// A migrated database holding the demo, as `server load-demo` makes it.
fn demo_database(dir: &Path) -> PathBuf {
    let file = dir.join("mip.sqlite");
    let output = run(&file, &["load-demo"]);
    assert!(output.status.success(), "{}", stderr(&output));
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_holds_every_acknowledged_write_and_restores() {
    let dir = temp_dir("backup");
    let database = demo_database(&dir);
    let running = Running::start(server(&database));
    assert_eq!(running.get("/healthz").status(), 200);

    // A writer beside the server: every row it was told is committed is acknowledged.
    let writer_pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(&database)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10)),
        )
        .await
        .unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let acknowledged = acknowledged.clone();
        let stop = stop.clone();
        let pool = writer_pool.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO audit_log (at, action, detail) VALUES (?, 'edit', ?) RETURNING id",
                )
                .bind("2026-11-10T08:00:00Z")
                .bind(format!("écriture {n}"))
                .fetch_one(&pool)
                .await
                .unwrap();
                acknowledged.lock().unwrap().push(id);
            }
        })
    };
    // Reads through the server meanwhile.
    let deadline = Instant::now() + PATIENCE;
    while acknowledged.lock().unwrap().len() < 50 {
        assert_eq!(running.get("/programme").status(), 200);
        assert!(Instant::now() < deadline, "the writer does not write");
    }
    let before: Vec<i64> = acknowledged.lock().unwrap().clone();
    let backup = dir.join("sauvegarde.sqlite");
    let database_for_backup = database.clone();
    let backup_path = backup.clone();
    let output = tokio::task::spawn_blocking(move || {
        run(
            &database_for_backup,
            &["backup", backup_path.to_str().unwrap()],
        )
    })
    .await
    .unwrap();
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    writer_pool.close().await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("Sauvegarde écrite"),
        "{output:?}"
    );
    let written_during = acknowledged.lock().unwrap().len() - before.len();
    eprintln!(
        "{} writes acknowledged before the backup started, {written_during} while it ran",
        before.len()
    );

    // Sound, and every acknowledged write is in it.
    assert_eq!(integrity(&backup).await, "ok");
    let copy = open(&backup).await;
    let held: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM audit_log WHERE detail LIKE 'écriture %'")
            .fetch_all(&copy)
            .await
            .unwrap();
    let (slug, title): (String, String) = sqlx::query_as(
        "SELECT slug, title FROM events WHERE status = 'published' AND edition_year = 2026 \
         AND title NOT GLOB '*[&<>\"'']*' ORDER BY id LIMIT 1",
    )
    .fetch_one(&copy)
    .await
    .unwrap();
    copy.close().await;
    let missing: Vec<&i64> = before.iter().filter(|id| !held.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not in the backup: {missing:?}"
    );
    // No temporary file left beside it.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");

    // An existing file is not replaced, unless asked.
    let size = std::fs::metadata(&backup).unwrap().len();
    let again = run(&database, &["backup", backup.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("existe déjà"), "{}", stderr(&again));
    assert_eq!(std::fs::metadata(&backup).unwrap().len(), size);
    let forced = run(&database, &["backup", "--force", backup.to_str().unwrap()]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    // The forced copy is taken after the writer stopped: it holds every write.
    let copy = open(&backup).await;
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE detail LIKE 'écriture %'")
            .fetch_one(&copy)
            .await
            .unwrap();
    copy.close().await;
    assert_eq!(count as usize, acknowledged.lock().unwrap().len());
    running.stop();

    // Restored into a fresh folder, the server starts on it and serves it.
    let fresh = temp_dir("restored").join("nouveau");
    let restored = fresh.join("mip.sqlite");
    let output = run(&restored, &["restore", backup.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("restaurée"));
    let running = Running::start(server(&restored));
    let health = running.get("/healthz");
    assert_eq!((health.status(), health.body().as_str()), (200, "ok"));
    let programme = running.get("/programme");
    assert_eq!(programme.status(), 200);
    let event = running.get(&format!("/evenements/{slug}"));
    assert_eq!(event.status(), 200);
    assert!(event.body().contains(&title), "{title} is on its page");
    running.stop();
    let pool = open(&restored).await;
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE detail LIKE 'écriture %'")
            .fetch_one(&pool)
            .await
            .unwrap();
    pool.close().await;
    assert_eq!(count as usize, acknowledged.lock().unwrap().len());
    assert_eq!(integrity(&restored).await, "ok");
}

/// Byte-for-byte state of a database file and its companions.
fn snapshot(file: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let path = format!("{}{suffix}", file.display());
            (path.clone(), std::fs::read(&path).ok())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_refuses_what_is_not_a_sound_backup_of_this_schema() {
    let dir = temp_dir("refused");
    // The database in place, which no refused restore may touch.
    let target = dir.join("en-place").join("mip.sqlite");
    let pool = server::db::connect(&url_of(&target)).await.unwrap();
    sqlx::query("INSERT INTO audit_log (at, action, detail) VALUES ('2026-11-10T08:00:00Z', 'edit', 'témoin')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let before = snapshot(&target);

    // A sound backup, to be spoiled in several ways.
    let good = dir.join("bonne.sqlite");
    let output = run(&target, &["backup", good.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        snapshot(&target),
        before,
        "a backup does not change its source"
    );

    let random = dir.join("hasard.sqlite");
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(&random, &bytes).unwrap();

    let zero = dir.join("vide.sqlite");
    std::fs::write(&zero, b"").unwrap();

    let empty = dir.join("base-vide.sqlite");
    {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&empty)
                    .create_if_missing(true),
            )
            .await
            .unwrap();
        sqlx::query("PRAGMA user_version = 1")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }

    let spoiled = |name: &str, sql: &'static str| {
        let file = dir.join(name);
        std::fs::copy(&good, &file).unwrap();
        async move {
            let pool = open(&file).await;
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
            file
        }
    };
    let future = spoiled(
        "future.sqlite",
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (29991231000000, 'from the future', 1, X'00', 0)",
    )
    .await;
    let tampered = spoiled(
        "modifiee.sqlite",
        "UPDATE _sqlx_migrations SET checksum = X'0123' \
         WHERE version = (SELECT min(version) FROM _sqlx_migrations)",
    )
    .await;
    let unfinished = spoiled(
        "inachevee.sqlite",
        "UPDATE _sqlx_migrations SET success = 0 \
         WHERE version = (SELECT max(version) FROM _sqlx_migrations)",
    )
    .await;
    // SQLite's header, then pages overwritten with noise.
    let corrupt = dir.join("abimee.sqlite");
    let mut content = std::fs::read(&good).unwrap();
    assert!(content.len() > 8 * 4096);
    for (i, byte) in content[4096..8 * 4096].iter_mut().enumerate() {
        *byte = bytes[i % bytes.len()];
    }
    std::fs::write(&corrupt, &content).unwrap();

    for (file, expected) in [
        (&random, "ce n'est pas une base SQLite"),
        (&zero, "le fichier est vide"),
        (&empty, "aucune table _sqlx_migrations"),
        (&future, "migration 29991231000000 est inconnue"),
        (&tampered, "diffère de celle de ce programme"),
        (&unfinished, "inachevée"),
        (&corrupt, "refusée"),
        (&dir.join("absente.sqlite"), "absente.sqlite"),
    ] {
        let output = run(&target, &["restore", file.to_str().unwrap()]);
        let message = stderr(&output);
        assert!(!output.status.success(), "{file:?} restored: {output:?}");
        assert!(message.contains(expected), "{file:?}: {message}");
        assert_eq!(message.lines().count(), 1, "one line: {message}");
        assert_eq!(
            snapshot(&target),
            before,
            "{file:?}: the database in place changed"
        );
        let left: Vec<String> = std::fs::read_dir(target.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp") || n.contains(".tmp-"))
            .collect();
        assert!(left.is_empty(), "{file:?}: {left:?}");
    }

    // Refused while a server has the database open.
    let running = Running::start(server(&target));
    let output = run(&target, &["restore", good.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("arrêtez le serveur"),
        "{}",
        stderr(&output)
    );
    assert_eq!(running.get("/healthz").status(), 200);
    running.stop();

    // The sound one is accepted once the server is stopped.
    let output = run(&target, &["restore", good.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(integrity(&target).await, "ok");
}

#[test]
fn a_production_start_with_a_wrong_configuration_is_refused_in_one_line() {
    let dir = temp_dir("config");
    let database = dir.join("jamais").join("mip.sqlite");
    let cases: [(&[(&str, &str)], &str); 8] = [
        (&[("LEPTOS_ENV", "PROD")], "MIP_PUBLIC_URL est obligatoire"),
        (
            &[
                ("LEPTOS_ENV", "PROD"),
                ("MIP_PUBLIC_URL", "https://mip.example.org/?x=1"),
            ],
            "MIP_PUBLIC_URL",
        ),
        (&[("MIP_PUBLIC_URL", "mip.example.org")], "MIP_PUBLIC_URL"),
        (
            &[("MIP_BACKUP_INTERVAL", "toutes les heures")],
            "MIP_BACKUP_INTERVAL",
        ),
        (&[("MIP_BACKUP_KEEP", "0")], "MIP_BACKUP_KEEP"),
        (&[("MIP_NOW", "hier")], "MIP_NOW"),
        (&[("MIP_SMTP_URL", "pas une adresse")], "MIP_SMTP_URL"),
        (&[("LEPTOS_SITE_ADDR", "partout")], "LEPTOS"),
    ];
    for (env, expected) in cases {
        let mut command = server(&database);
        command.envs(env.iter().copied()).arg("serve");
        let output = command.output().unwrap();
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{env:?}: {message}");
        assert!(message.contains(expected), "{env:?}: {message}");
        assert_eq!(message.lines().count(), 1, "{env:?}: one line: {message}");
        assert!(!message.contains("panicked"), "{env:?}: {message}");
        assert!(
            !database.exists(),
            "{env:?}: nothing created before refusing"
        );
    }
    // The demo needs no public address; production with one starts.
    for env in [
        vec![("LEPTOS_ENV", "PROD"), ("MIP_DEMO", "true")],
        vec![
            ("LEPTOS_ENV", "PROD"),
            ("MIP_PUBLIC_URL", "https://mip.example.org/"),
        ],
    ] {
        let mut command = server(&database);
        command.envs(env.iter().copied());
        let running = Running::start(command);
        assert_eq!(running.get("/healthz").status(), 200, "{env:?}");
        running.stop();
    }
}

#[test]
fn sigterm_during_a_burst_of_requests_lets_every_answer_finish_and_exits_cleanly() {
    let dir = temp_dir("sigterm");
    let database = demo_database(&dir);
    let running = Running::start(server(&database));
    let addr = running.addr;
    let terminated = Arc::new(AtomicBool::new(false));

    // A slow reader: its large answer has started when SIGTERM comes, and is read after.
    let (head_tx, head_rx) = std::sync::mpsc::channel();
    let slow = {
        let terminated = terminated.clone();
        std::thread::spawn(move || {
            exchange(addr, "GET", "/api/v1/events.json", "", move |_| {
                head_tx.send(()).unwrap();
                let deadline = Instant::now() + PATIENCE;
                while !terminated.load(Ordering::SeqCst) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(10));
                }
                // Let the server go on with its shutdown while nothing is read.
                std::thread::sleep(Duration::from_millis(300));
            })
        })
    };
    head_rx.recv_timeout(PATIENCE).unwrap();

    // Clients sending requests until nobody listens.
    let answered = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..6)
        .map(|i| {
            let answered = answered.clone();
            std::thread::spawn(move || {
                let paths = [
                    "/healthz",
                    "/programme",
                    "/",
                    "/api/v1/events.csv",
                    "/accessibilite",
                ];
                let mut outcomes = Vec::new();
                for n in 0.. {
                    // One client signs in (a wrong password: a slow request, hashed).
                    let answer = if i == 0 {
                        exchange(
                            addr,
                            "POST",
                            "/api/compte/connexion",
                            "email=organisatrice%40example.org&password=pas-le-bon-mot-de-passe",
                            |_| {},
                        )
                    } else {
                        request(addr, "GET", paths[(i + n) % paths.len()])
                    };
                    let refused = matches!(answer, Answer::Refused);
                    if let Answer::Complete(..) = answer {
                        answered.lock().unwrap().push(i);
                    }
                    outcomes.push(answer);
                    if refused || n > 10_000 {
                        break;
                    }
                }
                outcomes
            })
        })
        .collect();
    // Every client has had answers before the signal.
    let deadline = Instant::now() + PATIENCE;
    loop {
        let answered = answered.lock().unwrap().clone();
        if (0..6).all(|i| answered.iter().filter(|&&c| c == i).count() >= 2) {
            break;
        }
        assert!(Instant::now() < deadline, "the clients get no answers");
        std::thread::sleep(Duration::from_millis(10));
    }
    running.terminate();
    terminated.store(true, Ordering::SeqCst);

    let slow = slow.join().unwrap();
    match &slow {
        Answer::Complete(200, _, body) => {
            let events: serde_json::Value = serde_json::from_slice(body).unwrap();
            assert!(events.to_string().len() > 100_000);
        }
        other => panic!("the answer in flight was cut: {other:?}"),
    }
    let (status, output) = running.wait();
    assert!(status.success(), "{status}: {output}");
    assert!(output.contains("arrêté"), "{output}");

    let mut complete = 0;
    let mut closed_before_answer = 0;
    for client in clients {
        for answer in client.join().unwrap() {
            match answer {
                Answer::Complete(status, _, _) => {
                    assert!(status < 500, "{status}");
                    complete += 1;
                }
                Answer::Refused => {}
                Answer::ClosedUnanswered(why) => {
                    eprintln!("closed before any answer: {why}");
                    closed_before_answer += 1
                }
                Answer::Partial(bytes, why) => {
                    panic!("an answer cut after {bytes} bytes: {why}")
                }
            }
        }
    }
    eprintln!(
        "{complete} complete answers, {closed_before_answer} connections closed before any answer"
    );
    // The connections already queued when the signal came were accepted and answered too.
    assert_eq!(
        closed_before_answer, 0,
        "connections closed without an answer"
    );
    // The database was closed cleanly: its WAL checkpointed and removed.
    let wal = PathBuf::from(format!("{}-wal", database.display()));
    assert!(
        std::fs::metadata(&wal)
            .map(|m| m.len() == 0)
            .unwrap_or(true),
        "the WAL was left behind"
    );
}

#[test]
fn scheduled_backups_are_written_rotated_and_survive_failures() {
    let dir = temp_dir("scheduled");
    let database = dir.join("mip.sqlite");
    let backups = dir.join("sauvegardes");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join("LISEZMOI.txt"), "à garder").unwrap();
    let mut command = server(&database);
    command
        .env("MIP_BACKUP_DIR", &backups)
        .env("MIP_BACKUP_INTERVAL", "1s")
        .env("MIP_BACKUP_KEEP", "2");
    let running = Running::start(command);
    let list = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| server::backup::is_scheduled_name(n))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    // Rotation: more backups are written than kept.
    let mut seen = std::collections::BTreeSet::new();
    let deadline = Instant::now() + PATIENCE;
    while seen.len() < 4 {
        seen.extend(list(&backups));
        assert!(Instant::now() < deadline, "{seen:?}: {}", running.output());
        std::thread::sleep(Duration::from_millis(50));
    }

    // A failure (the folder gone) is logged; the server goes on serving. (A backup being
    // written meanwhile makes the removal fail: tried again.)
    let deadline = Instant::now() + PATIENCE;
    while let Err(error) = std::fs::remove_dir_all(&backups) {
        assert!(Instant::now() < deadline, "{error}");
        std::thread::sleep(Duration::from_millis(10));
    }
    let deadline = Instant::now() + PATIENCE;
    while !running.output().contains("sauvegarde programmée : échec") {
        assert!(Instant::now() < deadline, "{}", running.output());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(running.get("/healthz").status(), 200);
    // …and backs up again once the folder is back.
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join("LISEZMOI.txt"), "à garder").unwrap();
    let deadline = Instant::now() + PATIENCE;
    while list(&backups).len() < 2 {
        assert!(Instant::now() < deadline, "{}", running.output());
        std::thread::sleep(Duration::from_millis(50));
    }
    running.stop();

    // Exactly the newest MIP_BACKUP_KEEP are kept, sound, and nothing else was touched.
    let kept = list(&backups);
    assert_eq!(kept.len(), 2, "{kept:?}");
    let all: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all.contains(&"LISEZMOI.txt".to_string()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for name in &kept {
        let file = backups.join(name);
        runtime.block_on(async {
            assert_eq!(integrity(&file).await, "ok", "{name}");
            let pool = open(&file).await;
            let migrations: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
            assert_eq!(migrations as usize, server::db::MIGRATOR.iter().count());
        });
    }
}

#[test]
fn the_health_check_answers_ok_in_plain_text_never_cached() {
    let dir = temp_dir("health");
    let running = Running::start(server(&dir.join("mip.sqlite")));
    let answer = running.get("/healthz");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.body(), "ok");
    assert!(answer
        .header("content-type")
        .is_some_and(|v| v.starts_with("text/plain")));
    assert_eq!(answer.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(
        answer.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    running.stop();
}
