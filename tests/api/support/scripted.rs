//! A tiny HTTP/1.1 server on 127.0.0.1 that answers with a script of responses, one per
//! request (the last one repeats), and records every request it receives in full.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One recorded request.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// When the request's head had been read.
    pub arrived: std::time::Instant,
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The `name=value` pair of the request's query string, if it has one.
    pub fn query_pair(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}=");
        self.target
            .split(['?', '&'])
            .skip(1)
            .find(|pair| pair.starts_with(&prefix))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A scripted response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// How long to wait before answering.
    pub delay: Option<std::time::Duration>,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
            delay: None,
        }
    }

    pub fn delayed(mut self, delay: std::time::Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

pub struct Scripted {
    pub base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

/// Picks the reply to the `n`-th request (0-based), given the request.
pub type Handler = Arc<dyn Fn(usize, &Recorded) -> Reply + Send + Sync>;

impl Scripted {
    /// Starts the server; it answers the n-th request with `script[n]` (or the last entry).
    pub async fn start(script: Vec<Reply>) -> Self {
        Self::route(move |index, _| script[index.min(script.len() - 1)].clone()).await
    }

    /// Starts the server; `handler` picks each reply from the request and its number.
    pub async fn route(
        handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let handler: Handler = Arc::new(handler);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let recorded = recorded.clone();
                let handler = handler.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut reader = BufReader::new(read);
                    let Some(request) = read_request(&mut reader).await else {
                        return;
                    };
                    let index = {
                        let mut all = recorded.lock().unwrap();
                        all.push(request.clone());
                        all.len() - 1
                    };
                    let reply = handler(index, &request);
                    if let Some(delay) = reply.delay {
                        tokio::time::sleep(delay).await;
                    }
                    let mut head = format!(
                        "HTTP/1.1 {} Scripted\r\ncontent-length: {}\r\nconnection: close\r\n",
                        reply.status,
                        reply.body.len()
                    );
                    for (name, value) in &reply.headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = write.write_all(head.as_bytes()).await;
                    let _ = write.write_all(reply.body.as_bytes()).await;
                    let _ = write.shutdown().await;
                });
            }
        });
        Self { base_url, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

async fn read_request<R: tokio::io::AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> Option<Recorded> {
    let mut line = String::new();
    reader.read_line(&mut line).await.ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).await.ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if let Some(length) = find("content-length") {
        body.resize(length.parse().ok()?, 0);
        reader.read_exact(&mut body).await.ok()?;
    } else if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).await.ok()?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).await.ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
    Some(Recorded {
        arrived: std::time::Instant::now(),
        method,
        target,
        headers,
        body,
    })
}

/// One part of a multipart body.
#[derive(Debug)]
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// Splits a `multipart/form-data` body into its parts.
pub fn parse_multipart(request: &Recorded) -> Vec<FormPart> {
    let content_type = request.header("content-type").expect("content type");
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut parts = Vec::new();
    let positions: Vec<usize> = find_all(body, delimiter.as_bytes());
    for window in positions.windows(2) {
        let start = window[0] + delimiter.len() + 2;
        let end = window[1] - 2;
        let section = &body[start..end];
        let split = find_all(section, b"\r\n\r\n")[0];
        let head = String::from_utf8_lossy(&section[..split]).to_string();
        let data = section[split + 4..].to_vec();
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .unwrap_or("");
        let attribute = |key: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|a| a.strip_prefix(&format!("{key}=")))
                .map(|v| v.trim_matches('"').to_string())
        };
        parts.push(FormPart {
            name: attribute("name").unwrap_or_default(),
            file_name: attribute("filename"),
            content_type: head.lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .starts_with("content-type")
                    .then(|| l.split_once(':').map(|(_, v)| v.trim().to_string()))
                    .flatten()
            }),
            data,
        });
    }
    parts
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}
