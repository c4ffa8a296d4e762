//! The checkpoint writer: a task that, off the check path, appends a signed checkpoint of
//! the sessions changed since the previous one to this process's file every interval, a full
//! one at start and a last one at shutdown, and optionally POSTs each to a witness.

use std::time::Duration;

use airlock_audit::checkpoint::{Checkpoint, CheckpointFile, CheckpointSession};
use airlock_store::model::{SessionHead, ts};
use tokio::sync::oneshot;

use super::Service;
use super::audit_trail::Changed;

/// Sessions read per store transaction, so a large checkpoint never holds the store long.
const CHUNK: usize = 500;
const WITNESS_TIMEOUT: Duration = Duration::from_secs(5);

/// The running writer; [`Checkpointer::finish`] writes the last checkpoint.
pub struct Checkpointer {
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("cannot create the checkpoint file in {0}: {1}")]
    Io(String, std::io::Error),
    #[error("cannot write the first checkpoint: {0}")]
    First(String),
}

impl Checkpointer {
    /// Starts writing checkpoints to the service's checkpoint folder (`None`: it has none).
    /// The full first checkpoint is written before this returns.
    pub async fn start(
        service: Service,
        interval: Duration,
        witness: Option<String>,
    ) -> Result<Option<Checkpointer>, CheckpointError> {
        let Some(dir) = service.audit.checkpoint_dir().cloned() else {
            return Ok(None);
        };
        let file = CheckpointFile::create(&dir)
            .map_err(|e| CheckpointError::Io(dir.display().to_string(), e))?;
        tracing::info!(file = %file.path().display(), "writing signed checkpoints");
        let mut writer = Writer {
            service,
            file: Some(file),
            witness,
        };
        // The changes before the full checkpoint are in it.
        let _ = writer.service.audit.take_changed();
        writer
            .write(Changed::All)
            .await
            .map_err(CheckpointError::First)?;
        let (stop, mut stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = &mut stopped => {
                        let changed = writer.service.audit.take_changed();
                        if let Err(e) = writer.write(changed).await {
                            tracing::error!(error = %e, "the last checkpoint was not written");
                        }
                        return;
                    }
                }
                let changed = writer.service.audit.take_changed();
                if let Err(e) = writer.write(changed).await {
                    tracing::error!(error = %e, "a checkpoint was not written");
                }
            }
        });
        Ok(Some(Checkpointer { stop, task }))
    }

    /// Writes the last checkpoint and stops.
    pub async fn finish(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

struct Writer {
    service: Service,
    file: Option<CheckpointFile>,
    witness: Option<String>,
}

impl Writer {
    async fn write(&mut self, changed: Changed) -> Result<(), String> {
        let full = matches!(changed, Changed::All);
        let time = ts(chrono::Utc::now());
        let heads = match changed {
            Changed::Some(list) if list.is_empty() => return Ok(()),
            Changed::Some(list) => self.heads_of(list).await?,
            Changed::All => self
                .service
                .store
                .run(|tx| tx.session_heads())
                .await
                .map_err(|e| e.to_string())?,
        };
        let sessions: Vec<CheckpointSession> = heads
            .into_iter()
            .map(|h| CheckpointSession {
                org_id: h.org_id,
                session_id: h.id,
                head: h.head,
                count: h.total_calls,
            })
            .collect();
        let Some(mut file) = self.file.take() else {
            return Err("the checkpoint file was lost after an error".into());
        };
        let key = self.service.audit.keys().current().clone();
        let (file, written) = tokio::task::spawn_blocking(move || {
            let r = file.append(&key, time, full, sessions);
            (file, r)
        })
        .await
        .map_err(|e| e.to_string())?;
        self.file = Some(file);
        let checkpoint = written.map_err(|e| e.to_string())?;
        self.witness(&checkpoint);
        Ok(())
    }

    async fn heads_of(&self, list: Vec<(String, String)>) -> Result<Vec<SessionHead>, String> {
        let mut out = Vec::with_capacity(list.len());
        for chunk in list.chunks(CHUNK) {
            let chunk = chunk.to_vec();
            let heads = self
                .service
                .store
                .run(move |tx| {
                    let mut heads = Vec::with_capacity(chunk.len());
                    for (org, id) in &chunk {
                        if let Some(h) = tx.session_head(org, id)? {
                            heads.push(h);
                        }
                    }
                    Ok(heads)
                })
                .await
                .map_err(|e| e.to_string())?;
            out.extend(heads);
        }
        out.sort_by(|a, b| (&a.org_id, &a.id).cmp(&(&b.org_id, &b.id)));
        Ok(out)
    }

    /// POSTs the checkpoint to the witness, in the background: a failure is logged and never
    /// delays anything.
    fn witness(&self, checkpoint: &Checkpoint) {
        let (Some(url), Some(outbound)) = (&self.witness, self.service.outbound.clone()) else {
            return;
        };
        let post = airlock_outbound::Post {
            url: url.clone(),
            body: checkpoint.line().into_bytes(),
            headers: vec![("x-airlock-event".into(), "audit.checkpoint".into())],
            timeout: WITNESS_TIMEOUT,
            secret: None,
        };
        let seq = checkpoint.seq;
        tokio::spawn(async move {
            match outbound
                .post_with_retries(&post, 3, Duration::from_millis(500))
                .await
            {
                Ok(a) if a.is_success() => {}
                Ok(a) => tracing::warn!(
                    seq,
                    "the witness refused a checkpoint with HTTP {}",
                    a.status
                ),
                Err(e) => tracing::warn!(seq, error = %e, "the witness was not reached"),
            }
        });
    }
}
