//! Newline-delimited reading with a size limit, for the stdio transport.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// One read of a line.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// A line without its terminator (`\n` or `\r\n`).
    Text(Vec<u8>),
    /// A line longer than the limit; its bytes were skipped.
    TooLong,
    /// End of input.
    Eof,
}

/// Reads the next line, never holding more than `max` bytes of it.
pub async fn read_line<R: AsyncBufRead + Unpin>(r: &mut R, max: usize) -> std::io::Result<Line> {
    let mut out = Vec::new();
    let mut too_long = false;
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok(if too_long {
                Line::TooLong
            } else if out.is_empty() {
                Line::Eof
            } else {
                Line::Text(out)
            });
        }
        let (chunk, done) = match buf
            .iter()
            .position(|b| *b == b'\n')
            .and_then(|i| buf.split_at_checked(i))
        {
            Some((line, _)) => (line, Some(line.len() + 1)),
            None => (buf, None),
        };
        if !too_long {
            if out.len() + chunk.len() > max {
                too_long = true;
                out = Vec::new();
            } else {
                out.extend_from_slice(chunk);
            }
        }
        let used = done.unwrap_or(buf.len());
        r.consume(used);
        if done.is_some() {
            if too_long {
                return Ok(Line::TooLong);
            }
            if out.last() == Some(&b'\r') {
                out.pop();
            }
            return Ok(Line::Text(out));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_lines_and_skips_long_ones() {
        let data: &[u8] = b"short\r\nthis one is too long\nok\nlast";
        let mut r = tokio::io::BufReader::with_capacity(4, data);
        assert_eq!(
            read_line(&mut r, 8).await.unwrap(),
            Line::Text(b"short".to_vec())
        );
        assert_eq!(read_line(&mut r, 8).await.unwrap(), Line::TooLong);
        assert_eq!(
            read_line(&mut r, 8).await.unwrap(),
            Line::Text(b"ok".to_vec())
        );
        assert_eq!(
            read_line(&mut r, 8).await.unwrap(),
            Line::Text(b"last".to_vec())
        );
        assert_eq!(read_line(&mut r, 8).await.unwrap(), Line::Eof);
    }
}
