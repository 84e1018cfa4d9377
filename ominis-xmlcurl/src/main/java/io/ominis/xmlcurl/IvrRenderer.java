package io.ominis.xmlcurl;

/** Renders {@code ivr.conf} for one IVR; see the naming scheme on {@link #menuName}. */
public final class IvrRenderer {

    /** Separates the IVR name from the menu id in a FreeSWITCH menu name; neither name may contain it. */
    public static final String MENU_SEPARATOR = "/";

    /** The FreeSWITCH menu name of menu {@code menuId} of IVR {@code ivrName}: {@code sales/main_menu}. */
    public static String menuName(String ivrName, String menuId) {
        return ivrName + MENU_SEPARATOR + menuId;
    }
}
