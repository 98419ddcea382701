-- Why a round's window (deadline) moved, as the administrator gave it: shown beside who, when, old and new.
-- NULL for changes recorded before this column, and for a round's creation and deletion.
ALTER TABLE round_window_changes ADD COLUMN reason text;
