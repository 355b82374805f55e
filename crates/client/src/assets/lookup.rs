//! Finding an asset or a folder by its DAM path: the APIs name assets by id, people by path.
//! The parent folder's children are listed page by page until the name turns up.

use latchkey_proto::aem::FolderChild;

use super::{AssetsClient, DAM_ROOT, split_path, trimmed};
use crate::error::Error;

impl AssetsClient {
    /// The asset or folder at `path` (`kind` is `asset` or `folder`), or `None` when there is
    /// none (its parent folder missing included). The DAM root is a folder.
    pub async fn find(&self, path: &str) -> Result<Option<FolderChild>, Error> {
        let path = trimmed(path);
        let Some((parent, name)) = split_path(path) else {
            if path != DAM_ROOT {
                return Ok(None);
            }
            let root = self.list_folder(DAM_ROOT, Some(1), None).await?.this;
            return Ok(Some(FolderChild {
                kind: "folder".into(),
                folder_id: Some(root.folder_id),
                asset_id: None,
                name: root.name,
                title: root.title,
                path: root.path,
                mime_type: None,
                size: None,
            }));
        };
        let mut cursor: Option<String> = None;
        loop {
            let page = match self
                .list_folder(parent, Some(super::folders::MAX_PAGE), cursor.as_deref())
                .await
            {
                Ok(page) => page,
                Err(e) if e.status() == Some(404) => return Ok(None),
                Err(e) => return Err(e),
            };
            if let Some(hit) = page.children.into_iter().find(|c| c.name == name) {
                return Ok(Some(hit));
            }
            match page.cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(None),
            }
        }
    }
}
