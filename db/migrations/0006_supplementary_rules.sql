-- 0003: supplementary rule sets. Besides the rule set in force for a year (the main set: the
-- clerk's choice for that year, else the one marked 默认), a district or department may add its
-- own list of duties on top of it: a supplement, whose duties count alongside the main set's in
-- the years from_year..to_year (NULL: no bound). A new rule set is a main set that no year uses
-- until the clerk chooses it, so importing rules never changes how a year is counted.

ALTER TABLE rule_sets ADD COLUMN scope TEXT NOT NULL DEFAULT 'main'
    CHECK (scope IN ('main', 'supplement'));
ALTER TABLE rule_sets ADD COLUMN from_year INTEGER;
ALTER TABLE rule_sets ADD COLUMN to_year INTEGER;
