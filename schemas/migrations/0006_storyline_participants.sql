-- The principals whose acts move a storyline's status (../shared/DESIGN.md, Storylines):
-- a JSON array of { "name", "aliases" }, null when the storyline declares none (the title's
-- parties still count).
ALTER TABLE storylines ADD COLUMN participants TEXT;
