package io.ominis.core.ivr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An IVR with all its menus and their options, read in one consistent snapshot: what the {@code ivr.conf} renderer
 * needs to write the IVR's menus.
 *
 * @param menus   the IVR's menus ordered by {@link IvrMenu#menuId()}
 * @param options each menu's options keyed by the menu's {@link IvrMenu#id()}, ordered by digit; every menu has an
 *                entry, empty when it has no options
 */
public record IvrDefinition(Ivr ivr, List<IvrMenu> menus, Map<Integer, List<IvrMenuOption>> options) {
    public IvrDefinition {
        Objects.requireNonNull(ivr, "ivr");
        menus = List.copyOf(menus);
        Map<Integer, List<IvrMenuOption>> copy = new LinkedHashMap<>();
        for (IvrMenu menu : menus) {
            copy.put(menu.id(), List.copyOf(options.getOrDefault(menu.id(), List.of())));
        }
        options = java.util.Collections.unmodifiableMap(copy);
    }

    /** The options of one menu, in digit order; empty for a menu without options. */
    public List<IvrMenuOption> optionsOf(IvrMenu menu) {
        return options.getOrDefault(menu.id(), List.of());
    }
}
