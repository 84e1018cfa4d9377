// Small DOM builders: every text goes in through textContent, never as HTML.

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      e.className = value;
    } else if (name.startsWith('on')) {
      e.addEventListener(name.slice(2), value);
    } else if (name.startsWith('data')) {
      e.dataset[name.slice(4).charAt(0).toLowerCase() + name.slice(5)] = value;
    } else {
      e.setAttribute(name, value === true ? '' : value);
    }
  }
  append(e, children);
  return e;
}

function append(parent, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(parent, child);
    } else if (child instanceof Node) {
      parent.appendChild(child);
    } else {
      parent.appendChild(document.createTextNode(String(child)));
    }
  }
}

/**
 * A table: columns are {title, field (a data-field name), value(row) → text or node}; key(row) names each row
 * (data-key), so that tests and people can find one.
 */
export function table(columns, rows, key, empty) {
  const head = el('thead', null, el('tr', null, columns.map(c => el('th', {scope: 'col'}, c.title))));
  const body = el('tbody', null, rows.length === 0
      ? el('tr', null, el('td', {colspan: columns.length, class: 'empty'}, empty || 'Nothing to show.'))
      : rows.map(row => el('tr', {dataKey: key(row)},
          columns.map(c => el('td', {dataField: c.field}, c.value(row))))));
  return el('table', null, head, body);
}

/** A labelled figure for the overview's cards. */
export function fact(label, value, field, tone) {
  return el('div', {class: 'fact'}, el('dt', null, label), el('dd', {dataField: field, class: tone}, value));
}

export function seconds(s) {
  if (s === null || s === undefined) {
    return '—';
  }
  const m = Math.floor(s / 60);
  return m > 0 ? m + ' min ' + (s % 60) + ' s' : s + ' s';
}

export function epoch(s) {
  return s ? new Date(s * 1000).toLocaleString() : '—';
}

export function instant(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function percent(share) {
  return (share * 100).toFixed(1) + ' %';
}

export function replace(container, ...children) {
  container.replaceChildren();
  append(container, children);
}
