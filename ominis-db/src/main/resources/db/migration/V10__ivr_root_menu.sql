-- The IVR names its root menu: the menu `ivr <name>` starts with, instead of the renderer guessing (main_menu,
-- else main, else the first menu id in sort order). Existing IVRs get exactly that guess, so nothing they play
-- changes. The foreign key keeps the name pointing at a menu of the same IVR: renaming the menu carries it along,
-- and the root menu cannot be deleted while it is the root (the API answers 409). NULL only while the IVR has no
-- menu; the first menu added becomes the root.

ALTER TABLE ivrs ADD COLUMN IF NOT EXISTS root_menu VARCHAR(100);

UPDATE ivrs i
SET root_menu = (SELECT m.menu_id
                 FROM ivr_menus m
                 WHERE m.ivr_name = i.name
                 ORDER BY CASE m.menu_id WHEN 'main_menu' THEN 0 WHEN 'main' THEN 1 ELSE 2 END, m.menu_id COLLATE "C"
                 LIMIT 1)
WHERE i.root_menu IS NULL;

ALTER TABLE ivrs
    DROP CONSTRAINT IF EXISTS ivrs_root_menu_fkey,
    ADD CONSTRAINT ivrs_root_menu_fkey FOREIGN KEY (name, root_menu)
        REFERENCES ivr_menus (ivr_name, menu_id) ON UPDATE CASCADE;
