-- A chat retry is recognised by its sender and the sender's own client id: two parties' clients
-- pick their ids independently, and a specialist's message that happened to reuse the clinician's
-- id was acknowledged as a duplicate and never stored.
ALTER TABLE consult_messages DROP CONSTRAINT consult_messages_consult_id_client_id_key;
ALTER TABLE consult_messages ADD CONSTRAINT consult_messages_sender_client_id_key UNIQUE (consult_id, sender, client_id);
