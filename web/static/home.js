// "/" with no project: app.js renders the message; nothing to do here.
export function render() {}
