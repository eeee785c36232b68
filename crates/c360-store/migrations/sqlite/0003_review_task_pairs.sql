-- Real-time matching closes the open tasks between records that now belong
-- together, by record pair and of any kind; the unique key leads with the
-- kind, so without this index every close scanned all open tasks.
CREATE INDEX review_tasks_by_pair ON review_tasks (left_record, right_record);
