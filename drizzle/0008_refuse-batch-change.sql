-- A batch change whose guard does not hold (another runner holds the batch, it was paused or
-- cancelled, an item moved meanwhile) fails inside its own statement with SQLSTATE HD409,
-- rather than answering no row for the caller to notice. The transaction is then aborted by
-- the database itself, so a COMMIT sent in the same round trip as the change (before its
-- answer is read) can only roll back.
CREATE OR REPLACE FUNCTION helmdeck_refuse_batch_change(batch_id uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'batch % is not in the state this change needs', batch_id USING ERRCODE = 'HD409';
END
$$;
