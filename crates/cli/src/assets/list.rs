//! `latchkey assets ls [PATH]`: a folder's children, every page of them (the API gives at most
//! 50 a call; the cursor is followed to the end).

use latchkey_client::AssetsClient;

use crate::failure::CliError;
use crate::output::{self, Table, progress};

/// Lists the folder `path`.
pub async fn ls(
    client: &AssetsClient,
    path: &str,
    limit: Option<u32>,
    json: bool,
) -> Result<(), CliError> {
    let listing = client.list_folder_all(path, limit).await?;
    if json {
        return output::json(&listing);
    }
    let mut table = Table::new(&["KIND", "NAME", "SIZE", "TYPE", "ID"]);
    for c in &listing.children {
        let id = c.asset_id.as_ref().or(c.folder_id.as_ref());
        table.row(vec![
            c.kind.clone(),
            c.name.clone(),
            c.size
                .and_then(|s| u64::try_from(s).ok())
                .map_or_else(String::new, progress::bytes),
            c.mime_type.clone().unwrap_or_default(),
            id.cloned().unwrap_or_default(),
        ]);
    }
    table.print(&format!("({} is empty)", listing.this.path));
    Ok(())
}
