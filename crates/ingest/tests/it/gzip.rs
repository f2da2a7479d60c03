use std::io::Write;

use flate2::{Compression, write::GzEncoder};
use perfstat_ingest::{ErrorKind, ReadOptions};

use crate::{error, read};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn gzip_round_trip_by_magic_and_by_name() {
    let gz = gzip(b"latency_ms\n1\n2.5\n");
    for name in ["a.csv.gz", "a.csv", "<stdin>"] {
        assert_eq!(
            read(name, &gz).unwrap().groups[0].values,
            [1.0, 2.5],
            "{name}"
        );
    }
}

#[test]
fn concatenated_members() {
    let mut gz = gzip(b"latency_ms\n1\n");
    gz.extend(gzip(b"2\n"));
    assert_eq!(read("a.csv.gz", &gz).unwrap().groups[0].values, [1.0, 2.0]);
}

#[test]
fn gzip_of_nothing_is_empty() {
    assert_eq!(
        error("a.csv.gz", gzip(b"")),
        "a.csv.gz: no data: file is empty"
    );
}

#[test]
fn truncated_gzip() {
    let text: String = (0..20_000).map(|i| format!("{i}\n")).collect();
    let gz = gzip(format!("latency_ms\n{text}").as_bytes());
    for cut in [gz.len() / 2, gz.len() - 4, 12] {
        let e = read("a.csv.gz", &gz[..cut]).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::TruncatedGzip),
            "cut {cut}: {e:?}"
        );
        assert!(e.to_string().starts_with("a.csv.gz"), "{e}");
        assert!(
            e.to_string().contains("unexpected end of gzip stream"),
            "{e}"
        );
    }
}

#[test]
fn plain_text_despite_the_gz_name_is_read_as_it_is() {
    // Gzip is recognised by its magic bytes only: a `.gz` name on plain text (a file renamed, or
    // decompressed in place by a tool that kept the name) is read as plain text, not reported as a
    // truncated gzip stream (reliability case 20).
    let d = read("a.csv.gz", "latency_ms\n1\n2\n").unwrap();
    assert_eq!(d.groups[0].values, [1.0, 2.0]);
}

#[test]
fn stdin_like_reader() {
    // A reader that hands out a few bytes at a time, as a pipe does.
    struct Trickle<'a>(&'a [u8]);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let gz = gzip(b"\xEF\xBB\xBFlabel\tv\na\t1\nb\t2\n");
    let opts = ReadOptions {
        metric: Some("v".into()),
        ..ReadOptions::default()
    };
    let d = perfstat_ingest::read_reader("<stdin>", Trickle(&gz), &opts).unwrap();
    assert_eq!(d.groups[0].values, [1.0, 2.0]);
    assert_eq!(d.source, "<stdin>");
}
