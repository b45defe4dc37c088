//! Where files live: `object_store`, a local directory by default, any store it can open by
//! URL (`s3://bucket/prefix`, with the usual `AWS_*` variables) when configured.

use crate::Error;
use bytes::Bytes;
use futures::{Stream, StreamExt};
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart, local::LocalFileSystem, path::Path};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How many leading bytes are kept to sniff a file's type.
pub const HEAD_BYTES: usize = 512;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    prefix: Path,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({})", self.store)
    }
}

/// What a streamed write stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub bytes: u64,
    pub head: Vec<u8>,
    /// Why the incoming stream ended early, if it did (what arrived before is stored).
    pub interrupted: Option<String>,
}

/// A write that went over its limit: nothing is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct TooLarge;

fn storage_error(e: impl std::fmt::Display) -> Error {
    Error::internal(format!("storage: {e}"))
}

impl Storage {
    /// Files under `dir` on the local disk.
    pub fn local(dir: &std::path::Path) -> Result<Storage, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::internal(format!("cannot create {}: {e}", dir.display())))?;
        let store = LocalFileSystem::new_with_prefix(dir).map_err(storage_error)?;
        Ok(Storage { store: Arc::new(store), prefix: Path::default() })
    }

    /// The store at `url` (`file:///…`, `s3://bucket/prefix`, …), configured from the environment.
    pub fn from_url(url: &str) -> Result<Storage, Error> {
        let parsed = url::Url::parse(url).map_err(|e| Error::internal(format!("HD_STORAGE_URL is not a URL: {e}")))?;
        let options: Vec<(String, String)> =
            std::env::vars().filter(|(k, _)| k.starts_with("AWS_") || k.starts_with("OBJECT_STORE_")).collect();
        let (store, prefix) = object_store::parse_url_opts(&parsed, options).map_err(storage_error)?;
        Ok(Storage { store: Arc::from(store), prefix })
    }

    fn path(&self, key: &str) -> Path {
        let mut path = self.prefix.clone();
        for part in key.split('/') {
            path = path.clone().join(part);
        }
        path
    }

    /// Streams `body` into `key`, keeping the first bytes for sniffing. More than `limit`
    /// bytes: nothing is kept and `Err(TooLarge)`. When the stream fails part-way, what arrived
    /// is kept if `keep_partial` (resumable uploads), discarded otherwise.
    pub async fn write_stream<S, E>(
        &self,
        key: &str,
        mut body: S,
        limit: u64,
        keep_partial: bool,
    ) -> Result<Result<Written, TooLarge>, Error>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let upload = self.store.put_multipart(&self.path(key)).await.map_err(storage_error)?;
        let mut writer = WriteMultipart::new(upload);
        let mut written = Written { bytes: 0, head: Vec::with_capacity(HEAD_BYTES), interrupted: None };
        while let Some(chunk) = body.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    written.interrupted = Some(e.to_string());
                    break;
                }
            };
            written.bytes += chunk.len() as u64;
            if written.bytes > limit {
                writer.abort().await.map_err(storage_error)?;
                return Ok(Err(TooLarge));
            }
            if written.head.len() < HEAD_BYTES {
                let take = (HEAD_BYTES - written.head.len()).min(chunk.len());
                written.head.extend_from_slice(&chunk[..take]);
            }
            writer.wait_for_capacity(4).await.map_err(storage_error)?;
            writer.put(chunk);
        }
        if written.interrupted.is_some() && !keep_partial {
            writer.abort().await.map_err(storage_error)?;
            return Ok(Ok(written));
        }
        writer.finish().await.map_err(storage_error)?;
        Ok(Ok(written))
    }

    /// Concatenates `parts` into `key`; returns its size, SHA-256 and head.
    pub async fn concat(&self, parts: &[String], key: &str) -> Result<(u64, String, Vec<u8>), Error> {
        let upload = self.store.put_multipart(&self.path(key)).await.map_err(storage_error)?;
        let mut writer = WriteMultipart::new(upload);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut head = Vec::with_capacity(HEAD_BYTES);
        for part in parts {
            let mut stream = self.store.get(&self.path(part)).await.map_err(storage_error)?.into_stream();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(storage_error)?;
                hasher.update(&chunk);
                size += chunk.len() as u64;
                if head.len() < HEAD_BYTES {
                    let take = (HEAD_BYTES - head.len()).min(chunk.len());
                    head.extend_from_slice(&chunk[..take]);
                }
                writer.wait_for_capacity(4).await.map_err(storage_error)?;
                writer.put(chunk);
            }
        }
        writer.finish().await.map_err(storage_error)?;
        Ok((size, hex::encode(hasher.finalize()), head))
    }

    /// The SHA-256 of a stored object.
    pub async fn sha256(&self, key: &str) -> Result<String, Error> {
        let mut stream = self.store.get(&self.path(key)).await.map_err(storage_error)?.into_stream();
        let mut hasher = Sha256::new();
        while let Some(chunk) = stream.next().await {
            hasher.update(&chunk.map_err(storage_error)?);
        }
        Ok(hex::encode(hasher.finalize()))
    }

    /// The object as a stream of bytes, with its size.
    pub async fn read(
        &self,
        key: &str,
    ) -> Result<(u64, impl Stream<Item = Result<Bytes, object_store::Error>> + use<>), Error> {
        let result = self.store.get(&self.path(key)).await.map_err(storage_error)?;
        let size = result.meta.size;
        Ok((size, result.into_stream()))
    }

    /// The object's size in bytes, without reading it.
    pub async fn size(&self, key: &str) -> Result<u64, Error> {
        Ok(self.store.head(&self.path(key)).await.map_err(storage_error)?.size)
    }

    /// The whole object in memory, or `None` when there is none under `key`.
    pub async fn read_if_there(&self, key: &str) -> Result<Option<Bytes>, Error> {
        match self.store.get(&self.path(key)).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(storage_error)?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(storage_error(e)),
        }
    }

    /// The whole object in memory (for files bounded by the template's size limit).
    pub async fn read_all(&self, key: &str) -> Result<Bytes, Error> {
        self.store.get(&self.path(key)).await.map_err(storage_error)?.bytes().await.map_err(storage_error)
    }

    /// Copies the object to a temporary file (for readers that need to seek).
    pub async fn to_temp_file(&self, key: &str) -> Result<tempfile::NamedTempFile, Error> {
        use tokio::io::AsyncWriteExt;
        let temp = tempfile::NamedTempFile::new().map_err(storage_error)?;
        let mut file = tokio::fs::File::create(temp.path()).await.map_err(storage_error)?;
        let (_, mut stream) = self.read(key).await?;
        while let Some(chunk) = stream.next().await {
            file.write_all(&chunk.map_err(storage_error)?).await.map_err(storage_error)?;
        }
        file.flush().await.map_err(storage_error)?;
        Ok(temp)
    }

    /// Deletes an object; deleting one that is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), Error> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(storage_error(e)),
        }
    }
}
