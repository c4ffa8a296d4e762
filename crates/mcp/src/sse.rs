//! A small incremental Server-Sent Events parser and writer, enough to filter the JSON-RPC
//! messages of a streamable HTTP response while passing everything else through.

/// One event: its fields other than `data` in order (`event`, `id`, `retry`, comments kept
/// as `("", text)`), and its data lines joined with `\n`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    pub fields: Vec<(String, String)>,
    pub data: Option<String>,
}

impl Event {
    /// The event as it goes on the wire, ending with the blank line.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::new();
        for (k, v) in &self.fields {
            if k.is_empty() {
                out.push(':');
                out.push_str(v);
            } else {
                out.push_str(k);
                out.push_str(": ");
                out.push_str(v);
            }
            out.push('\n');
        }
        if let Some(data) = &self.data {
            for line in data.split('\n') {
                out.push_str("data: ");
                out.push_str(line);
                out.push('\n');
            }
        }
        out.push('\n');
        out.into_bytes()
    }

    /// True if the event carries nothing but comments (a keep-alive).
    pub fn is_comment(&self) -> bool {
        self.data.is_none() && self.fields.iter().all(|(k, _)| k.is_empty())
    }
}

/// The stream broke the size limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an event of the upstream stream is larger than {0} bytes")]
pub struct TooLarge(pub usize);

/// Feeds bytes in, takes complete events out.
#[derive(Debug)]
pub struct Parser {
    buf: Vec<u8>,
    current: Event,
    current_size: usize,
    max_event: usize,
}

impl Parser {
    pub fn new(max_event: usize) -> Self {
        Parser {
            buf: Vec::new(),
            current: Event::default(),
            current_size: 0,
            max_event,
        }
    }

    /// Adds bytes; returns the events they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<Event>, TooLarge> {
        self.buf.extend_from_slice(bytes);
        let mut events = Vec::new();
        let buf = std::mem::take(&mut self.buf);
        let mut rest = buf.as_slice();
        while let Some(pos) = rest.iter().position(|b| *b == b'\n' || *b == b'\r') {
            let Some((line, tail)) = rest.split_at_checked(pos) else {
                break;
            };
            let after = match tail {
                // A lone `\r` at the end may be the first half of `\r\n`: wait for more.
                [b'\r'] => break,
                [b'\r', b'\n', after @ ..] | [_, after @ ..] => after,
                [] => break,
            };
            if let Some(ev) = self.line(&String::from_utf8_lossy(line))? {
                events.push(ev);
            }
            rest = after;
        }
        self.buf = rest.to_vec();
        if self.buf.len() + self.current_size > self.max_event {
            return Err(TooLarge(self.max_event));
        }
        Ok(events)
    }

    /// Completes a last event not followed by a blank line.
    pub fn finish(&mut self) -> Result<Option<Event>, TooLarge> {
        if !self.buf.is_empty() {
            let line = String::from_utf8_lossy(&std::mem::take(&mut self.buf)).into_owned();
            if let Some(ev) = self.line(&line)? {
                return Ok(Some(ev));
            }
        }
        Ok(self.line("")?.filter(|e| e.data.is_some()))
    }

    fn line(&mut self, line: &str) -> Result<Option<Event>, TooLarge> {
        if line.is_empty() {
            self.current_size = 0;
            let ev = std::mem::take(&mut self.current);
            return Ok((ev != Event::default()).then_some(ev));
        }
        self.current_size += line.len() + 1;
        if self.current_size > self.max_event {
            return Err(TooLarge(self.max_event));
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        if field == "data" {
            match &mut self.current.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => self.current.data = Some(value.to_string()),
            }
        } else if field.is_empty() {
            self.current
                .fields
                .push((String::new(), line[1..].to_string()));
        } else {
            self.current
                .fields
                .push((field.to_string(), value.to_string()));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_events_split_across_chunks_and_line_endings() {
        let mut p = Parser::new(1 << 20);
        let mut evs = p.push(b"event: message\r\nid: 1\r\ndata: {\"a\"").unwrap();
        assert!(evs.is_empty());
        evs.extend(
            p.push(b":1}\r\n\r\n: keepalive\n\ndata: x\ndata: y\r")
                .unwrap(),
        );
        evs.extend(p.push(b"\n\r\n").unwrap());
        assert_eq!(evs.len(), 3);
        assert_eq!(evs[0].data.as_deref(), Some("{\"a\":1}"));
        assert_eq!(
            evs[0].fields,
            vec![
                ("event".into(), "message".into()),
                ("id".into(), "1".into())
            ]
        );
        assert!(evs[1].is_comment());
        assert_eq!(evs[2].data.as_deref(), Some("x\ny"));
        assert_eq!(
            String::from_utf8(evs[0].to_bytes()).unwrap(),
            "event: message\nid: 1\ndata: {\"a\":1}\n\n"
        );
    }

    #[test]
    fn refuses_oversized_events_and_finishes_the_tail() {
        let mut p = Parser::new(16);
        assert!(p.push(b"data: 0123456789abcdefghij").is_err());
        let mut p = Parser::new(1024);
        assert!(p.push(b"data: tail").unwrap().is_empty());
        assert_eq!(p.finish().unwrap().unwrap().data.as_deref(), Some("tail"));
    }
}
