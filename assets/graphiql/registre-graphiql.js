// GraphiQL for registre-dcp: queries and mutations over HTTP (/graphql), subscriptions over
// WebSocket (/graphql/ws, graphql-transport-ws). A browser cannot set headers on a
// WebSocket, so the Headers pane's JSON (e.g. {"Authorization": "Bearer <token>"}) goes in
// connection_init's payload: whole under "headers", and Authorization at the top level too.
(function () {
  'use strict';

  var url = '/graphql';
  var subscriptionUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql/ws';

  // One socket (and fetcher) for the current headers: when the Headers pane changes, the
  // old socket is closed and the next subscription opens one with the new token.
  var cle = null;
  var client = null;
  var courant = null;

  function fetcherPour(headers) {
    var nouvelle = JSON.stringify(headers);
    if (courant && nouvelle === cle) {
      return courant;
    }
    if (client) {
      client.dispose();
    }
    var payload = { headers: headers };
    Object.keys(headers).forEach(function (nom) {
      if (nom.toLowerCase() === 'authorization') {
        payload.Authorization = headers[nom];
      }
    });
    client = graphqlWs.createClient({ url: subscriptionUrl, lazy: true, connectionParams: payload });
    courant = GraphiQL.createFetcher({ url: url, subscriptionUrl: subscriptionUrl, wsClient: client });
    cle = nouvelle;
    return courant;
  }

  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    return fetcherPour(headers)(params, options);
  }

  var racine = ReactDOM.createRoot(document.getElementById('graphiql'));
  racine.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  }));
})();
