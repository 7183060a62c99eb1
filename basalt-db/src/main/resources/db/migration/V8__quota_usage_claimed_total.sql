-- quota_usages keeps one number per project and resource: what the project's claims add up to,
-- in use and reserved together (claimed), the number a reservation must fit beside its limit.
-- How much of it is in use and how much is reserved is read from quota_claims, which already
-- say it holder by holder. Settling a claim (reserved becoming in use) then changes only the
-- holder's own claim rows, not the usage row that every create of the project queues on.

ALTER TABLE quota_usages ADD COLUMN claimed BIGINT DEFAULT 0 NOT NULL;

UPDATE quota_usages SET claimed = in_use + reserved;

ALTER TABLE quota_usages DROP COLUMN in_use;

ALTER TABLE quota_usages DROP COLUMN reserved;
